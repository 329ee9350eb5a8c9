// Command openapi writes the OpenAPI 3.0.3 document of Rampart's REST API from proto/.
//
// It reads a descriptor set of proto/rampart/v1 made by protoc (with --include_imports and
// --include_source_info, so options and comments are in it) and writes one JSON document,
// deterministic: keys sorted, two-space indent. proto/generate.sh runs it; the document is
// checked in beside this file and embedded in rampartd, which serves it at GET /v1/openapi.
//
//	usage: go run ./proto/openapi -descriptors rampart.pb -out rampart.v1.openapi.json
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
)

func main() {
	descriptors := flag.String("descriptors", "", "descriptor set written by protoc --descriptor_set_out")
	out := flag.String("out", "", "where to write the document (default: standard output)")
	flag.Parse()
	if *descriptors == "" {
		fmt.Fprintln(os.Stderr, "openapi: -descriptors is required")
		os.Exit(2)
	}
	if err := run(*descriptors, *out); err != nil {
		fmt.Fprintln(os.Stderr, "openapi:", err)
		os.Exit(1)
	}
}

func run(descriptorsPath, outPath string) error {
	raw, err := os.ReadFile(descriptorsPath)
	if err != nil {
		return err
	}
	api, err := loadAPI(raw)
	if err != nil {
		return err
	}
	document, err := buildDocument(api)
	if err != nil {
		return err
	}
	encoded, err := encode(document)
	if err != nil {
		return err
	}
	if outPath == "" {
		_, err = os.Stdout.Write(encoded)
		return err
	}
	return os.WriteFile(outPath, encoded, 0o644)
}

// encode writes JSON with sorted keys (encoding/json sorts map keys) and without HTML
// escaping, so descriptions keep their '<' and '&'.
func encode(document map[string]any) ([]byte, error) {
	var buffer bytes.Buffer
	encoder := json.NewEncoder(&buffer)
	encoder.SetEscapeHTML(false)
	encoder.SetIndent("", "  ")
	if err := encoder.Encode(document); err != nil {
		return nil, err
	}
	return buffer.Bytes(), nil
}
