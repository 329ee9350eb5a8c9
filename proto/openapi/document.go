package main

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"google.golang.org/protobuf/reflect/protoreflect"
)

const (
	emptyMessage = apiPackage + ".Empty"
	errorMessage = apiPackage + ".Error"
	jsonMedia    = "application/json"
)

var pathParameter = regexp.MustCompile(`\{([a-z_]+)\}`)

// buildDocument is the OpenAPI document: every RPC with an (http) option as an operation,
// following the conventions written at the top of proto/rampart/v1/http.proto.
func buildDocument(a *api) (map[string]any, error) {
	s := newSchemas(a)
	paths := map[string]any{}
	tags := []any{}
	var overview []string
	for _, file := range a.apiFiles() {
		if text := fileComment(file); text != "" {
			overview = append(overview, "## "+file.Path()+"\n\n"+text)
		}
		services := file.Services()
		for i := 0; i < services.Len(); i++ {
			service := services.Get(i)
			tag := map[string]any{"name": string(service.Name())}
			if text := comment(service); text != "" {
				tag["description"] = text
			}
			tags = append(tags, tag)
			methods := service.Methods()
			for j := 0; j < methods.Len(); j++ {
				if err := addOperation(a, s, paths, service, methods.Get(j)); err != nil {
					return nil, fmt.Errorf("%s: %w", methods.Get(j).FullName(), err)
				}
			}
		}
	}
	errorDescriptor, err := a.files.FindDescriptorByName(errorMessage)
	if err != nil {
		return nil, err
	}
	errorSchema, err := s.message(errorDescriptor.(protoreflect.MessageDescriptor), answer)
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{
			"title":       "Rampart API",
			"version":     "v1",
			"description": "Generated from proto/rampart/v1 by proto/openapi; do not edit.\n\n" + strings.Join(overview, "\n\n"),
		},
		"servers": []any{map[string]any{"url": "/"}},
		"tags":    tags,
		"paths":   paths,
		"components": map[string]any{
			"schemas": s.built,
			"securitySchemes": map[string]any{
				"bearerAuth": map[string]any{
					"type":        "http",
					"scheme":      "bearer",
					"description": "An API key of the organization: rmp_<key id>.<secret>.",
				},
			},
			"responses": map[string]any{
				"Error": map[string]any{
					"description": "An error, in one shape on every route; the code matches the HTTP status (see Error).",
					"headers": map[string]any{
						"Retry-After": map[string]any{
							"description": "With 429 and 503: seconds to wait before retrying.",
							"schema":      map[string]any{"type": "integer"},
						},
						"Rampart-Change-Number": map[string]any{
							"description": "The newest change the answering replica has applied (on every answer to a caller with a key).",
							"schema":      map[string]any{"type": "integer", "minimum": 0},
						},
					},
					"content": map[string]any{jsonMedia: map[string]any{"schema": errorSchema}},
				},
			},
		},
	}, nil
}

func addOperation(a *api, s *schemas, paths map[string]any, service protoreflect.ServiceDescriptor,
	method protoreflect.MethodDescriptor) error {
	route := a.route(method)
	if route == nil {
		return fmt.Errorf("no (http) option: every RPC declares its route")
	}
	verb, path := stringOf(route, "method"), stringOf(route, "path")
	item, _ := paths[path].(map[string]any)
	if item == nil {
		item = map[string]any{}
		paths[path] = item
	}
	key := strings.ToLower(verb)
	if _, taken := item[key]; taken {
		return fmt.Errorf("%s %s is declared twice", verb, path)
	}
	operation := map[string]any{
		"operationId": string(method.Name()),
		"summary":     sentence(string(method.Name())),
		"tags":        []any{string(service.Name())},
		"security":    []any{map[string]any{"bearerAuth": []any{}}},
	}
	if text := comment(method); text != "" {
		operation["description"] = text
	}
	parameters := []any{}
	for _, match := range pathParameter.FindAllStringSubmatch(path, -1) {
		parameters = append(parameters, map[string]any{
			"name":        match[1],
			"in":          "path",
			"required":    true,
			"description": "The " + strings.ReplaceAll(match[1], "_", " ") + ", by id or, where it has one, by name.",
			"schema":      map[string]any{"type": "string"},
		})
	}
	input := method.Input()
	switch verb {
	case "GET", "DELETE":
		query, err := queryParameters(s, input)
		if err != nil {
			return err
		}
		parameters = append(parameters, query...)
	case "POST", "PATCH", "PUT":
		if input.FullName() != emptyMessage {
			body, err := s.message(input, request)
			if err != nil {
				return err
			}
			operation["requestBody"] = map[string]any{
				"required": true,
				"content":  map[string]any{jsonMedia: map[string]any{"schema": body}},
			}
		}
	default:
		return fmt.Errorf("unknown HTTP method %q", verb)
	}
	parameters = append(parameters, headerParameters(verb, string(method.Name()), boolOf(route, "ignores_if_match"))...)
	if len(parameters) > 0 {
		operation["parameters"] = parameters
	}
	responses, err := successResponse(a, s, method, route)
	if err != nil {
		return err
	}
	responses["default"] = map[string]any{"$ref": "#/components/responses/Error"}
	operation["responses"] = responses
	item[key] = operation
	return nil
}

// queryParameters are the fields of a GET or DELETE's input message.
func queryParameters(s *schemas, input protoreflect.MessageDescriptor) ([]any, error) {
	parameters := []any{}
	fields := input.Fields()
	for i := 0; i < fields.Len(); i++ {
		field := fields.Get(i)
		if field.Kind() == protoreflect.MessageKind {
			return nil, fmt.Errorf("query parameter %s: only scalars and lists of scalars fit a query string", field.FullName())
		}
		schema, err := s.field(field, request)
		if err != nil {
			return nil, err
		}
		parameter := map[string]any{
			"name":     string(field.Name()),
			"in":       "query",
			"required": boolOf(s.api.fieldRules(field), "required"),
			"schema":   schema,
		}
		if description, ok := schema["description"]; ok {
			parameter["description"] = description
			delete(schema, "description")
		}
		parameters = append(parameters, parameter)
	}
	return parameters, nil
}

// headerParameters: creates take an Idempotency-Key, writes an If-Match.
func headerParameters(verb, rpc string, ignoresIfMatch bool) []any {
	if verb == "POST" && strings.HasPrefix(rpc, "Create") {
		return []any{map[string]any{
			"name": "Idempotency-Key",
			"in":   "header",
			"description": "Printable ASCII without spaces (empty: none). A retry with the same key and body " +
				"answers the object the first request created; the same key with another body is 409.",
			"schema": map[string]any{"type": "string", "maxLength": 255, "pattern": "^[!-~]*$"},
		}}
	}
	if (verb == "PATCH" || verb == "PUT" || verb == "DELETE") && !ignoresIfMatch {
		return []any{map[string]any{
			"name": "If-Match",
			"in":   "header",
			"description": "An ETag from an earlier answer, e.g. \"3\" (* or empty: any revision): the write " +
				"happens only at that revision, 412 otherwise.",
			"schema": map[string]any{"type": "string", "pattern": `^(\*|"[1-9][0-9]{0,17}"|[1-9][0-9]{0,17})?$`},
		}}
	}
	return nil
}

// successResponse is the answer of a route that succeeds: 201 for creates, 204 for Empty,
// 200 otherwise, in the route's media types.
func successResponse(a *api, s *schemas, method protoreflect.MethodDescriptor,
	route protoreflect.Message) (map[string]any, error) {
	output := method.Output()
	if output.FullName() == emptyMessage {
		return map[string]any{"204": map[string]any{"description": "Done; no content."}}, nil
	}
	status := "200"
	if strings.HasPrefix(string(method.Name()), "Create") {
		status = "201"
	}
	schema, err := s.message(output, answer)
	if err != nil {
		return nil, err
	}
	if alternative := stringOf(route, "alternative_output"); alternative != "" {
		descriptor, err := a.files.FindDescriptorByName(protoreflect.FullName(apiPackage + "." + alternative))
		if err != nil {
			return nil, fmt.Errorf("alternative_output %s: %w", alternative, err)
		}
		other, err := s.message(descriptor.(protoreflect.MessageDescriptor), answer)
		if err != nil {
			return nil, err
		}
		schema = map[string]any{"oneOf": []any{schema, other}}
	}
	media := stringsOf(route, "media_types")
	if len(media) == 0 {
		media = []string{jsonMedia}
	}
	content := map[string]any{}
	for _, mediaType := range media {
		if mediaType == jsonMedia {
			content[mediaType] = map[string]any{"schema": schema}
		} else {
			content[mediaType] = map[string]any{"schema": map[string]any{
				"type":        "string",
				"description": string(output.Name()) + " records as " + mediaType + ".",
			}}
		}
	}
	response := map[string]any{"description": string(output.Name()), "content": content}
	if output.Fields().ByName("revision") != nil {
		response["headers"] = map[string]any{"ETag": map[string]any{
			"description": "The object's revision, quoted: pass it as If-Match.",
			"schema":      map[string]any{"type": "string"},
		}}
	}
	return map[string]any{status: response}, nil
}

// sentence turns an RPC name into words: "CreateWorkspace" -> "Create workspace".
func sentence(name string) string {
	var words strings.Builder
	for i, r := range name {
		if i > 0 && unicode.IsUpper(r) {
			words.WriteByte(' ')
			r = unicode.ToLower(r)
		}
		words.WriteRune(r)
	}
	return words.String()
}
