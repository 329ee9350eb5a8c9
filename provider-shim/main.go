// Command terraform-provider-rampart serves the Rampart Terraform provider to Terraform or
// OpenTofu over the plugin protocol (go-plugin, protocol version 6).
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/rampart-dev/rampart/provider-shim/internal/provider"
)

// Documentation: docs/ is generated from the schema descriptions and examples/ by
// `make docs` (.ci/provider-docs.sh); `make test` fails when it is stale.

// version is set at release time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "set to true to run the provider with support for debuggers like delve")
	flag.Parse()

	opts := providerserver.ServeOpts{
		Address: "registry.terraform.io/rampart/rampart",
		Debug:   debug,
	}
	if err := providerserver.Serve(context.Background(), provider.New(version), opts); err != nil {
		log.Fatal(err.Error())
	}
}
