package main

import (
	"fmt"
	"slices"
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"
)

// direction says how a message travels, which decides its required fields: in a request
// only the fields marked (json).required; in an answer every field not marked (json).omitted.
type direction int

const (
	request direction = iota
	answer
)

// schemas builds components.schemas: one JSON Schema per message that a request body or an
// answer uses, named after the message.
type schemas struct {
	api        *api
	built      map[string]map[string]any
	directions map[string]map[direction]bool
	source     map[string]protoreflect.FullName
}

func newSchemas(a *api) *schemas {
	return &schemas{
		api:        a,
		built:      map[string]map[string]any{},
		directions: map[string]map[direction]bool{},
		source:     map[string]protoreflect.FullName{},
	}
}

func schemaRef(name string) map[string]any {
	return map[string]any{"$ref": "#/components/schemas/" + name}
}

// message is a reference to the schema of `message`, building it (and the messages it
// uses) on first use.
func (s *schemas) message(message protoreflect.MessageDescriptor, way direction) (map[string]any, error) {
	name := string(message.Name())
	if full, seen := s.source[name]; seen && full != message.FullName() {
		return nil, fmt.Errorf("messages %s and %s would share the schema name %s", full, message.FullName(), name)
	}
	if s.directions[name][way] {
		return schemaRef(name), nil
	}
	if s.directions[name] == nil {
		s.directions[name] = map[direction]bool{}
	}
	s.directions[name][way] = true
	s.source[name] = message.FullName()
	required := s.required(message, way)
	if existing, built := s.built[name]; built {
		// A message both sent and answered: fine while both ways require the same fields.
		if !slices.Equal(existing["required"].([]string), required) {
			return nil, fmt.Errorf("%s is used in requests and answers with different required fields (%v, %v): "+
				"give each its own message", message.FullName(), existing["required"], required)
		}
		return schemaRef(name), nil
	}
	schema := map[string]any{
		"type":                 "object",
		"additionalProperties": false,
		"required":             required,
	}
	s.built[name] = schema // before the fields: a message may contain itself
	properties := map[string]any{}
	fields := message.Fields()
	for i := 0; i < fields.Len(); i++ {
		property, err := s.field(fields.Get(i), way)
		if err != nil {
			return nil, err
		}
		properties[string(fields.Get(i).Name())] = property
	}
	schema["properties"] = properties
	if description := comment(message); description != "" {
		schema["description"] = description
	}
	return schemaRef(name), nil
}

func (s *schemas) required(message protoreflect.MessageDescriptor, way direction) []string {
	required := []string{}
	fields := message.Fields()
	for i := 0; i < fields.Len(); i++ {
		rules := s.api.fieldRules(fields.Get(i))
		if (way == request && boolOf(rules, "required")) || (way == answer && !boolOf(rules, "omitted")) {
			required = append(required, string(fields.Get(i).Name()))
		}
	}
	slices.Sort(required)
	return required
}

// field is the schema of one field, as JSON names it: maps are objects, repeated fields
// arrays, and (json) adds nullability, formats, enums and bounds.
func (s *schemas) field(field protoreflect.FieldDescriptor, way direction) (map[string]any, error) {
	rules := s.api.fieldRules(field)
	var schema map[string]any
	var err error
	switch {
	case field.IsMap():
		var values map[string]any
		if values, err = s.value(field.MapValue(), nil, way); err == nil {
			schema = map[string]any{"type": "object", "additionalProperties": values}
		}
	case field.IsList():
		var items map[string]any
		if items, err = s.value(field, rules, way); err == nil {
			schema = map[string]any{"type": "array", "items": items}
		}
	default:
		schema, err = s.value(field, rules, way)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", field.FullName(), err)
	}
	description := comment(field)
	nullable := boolOf(rules, "nullable")
	if _, isRef := schema["$ref"]; isRef && (description != "" || nullable) {
		// OpenAPI 3.0 ignores whatever stands beside a $ref.
		schema = map[string]any{"allOf": []any{schema}}
	}
	if description != "" {
		schema["description"] = description
	}
	if nullable {
		schema["nullable"] = true
	}
	return schema, nil
}

// value is the schema of one value of `field` (its items, when it is repeated).
func (s *schemas) value(field protoreflect.FieldDescriptor, rules protoreflect.Message, way direction) (map[string]any, error) {
	switch field.Kind() {
	case protoreflect.StringKind:
		schema := map[string]any{"type": "string"}
		format := stringOf(rules, "format")
		if format == "" && !field.IsList() && strings.HasSuffix(string(field.Name()), "_at") {
			format = "date-time"
		}
		if format != "" {
			schema["format"] = format
		}
		if values := stringsOf(rules, "enum"); len(values) > 0 {
			schema["enum"] = values
		}
		if pattern := stringOf(rules, "pattern"); pattern != "" {
			schema["pattern"] = pattern
		}
		if minLength := intOf(rules, "min_length"); minLength != nil {
			schema["minLength"] = minLength
		}
		return schema, nil
	case protoreflect.BoolKind:
		return map[string]any{"type": "boolean"}, nil
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind,
		protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		// JSON numbers, 64-bit ones included: the daemon writes and reads numbers.
		schema := map[string]any{"type": "integer", "format": "int64"}
		if field.Kind() == protoreflect.Int32Kind || field.Kind() == protoreflect.Sint32Kind ||
			field.Kind() == protoreflect.Sfixed32Kind {
			schema["format"] = "int32"
		}
		if minimum := intOf(rules, "minimum"); minimum != nil {
			schema["minimum"] = minimum
		}
		if maximum := intOf(rules, "maximum"); maximum != nil {
			schema["maximum"] = maximum
		}
		return schema, nil
	case protoreflect.DoubleKind, protoreflect.FloatKind:
		return map[string]any{"type": "number"}, nil
	case protoreflect.EnumKind:
		values := field.Enum().Values()
		names := make([]string, values.Len())
		for i := range names {
			names[i] = string(values.Get(i).Name())
		}
		return map[string]any{"type": "string", "enum": names}, nil
	case protoreflect.MessageKind:
		switch field.Message().FullName() {
		case "google.protobuf.Struct":
			return map[string]any{"type": "object"}, nil
		case "google.protobuf.Value":
			return map[string]any{}, nil // any JSON value, null included
		}
		return s.message(field.Message(), way)
	}
	return nil, fmt.Errorf("no JSON mapping for kind %s", field.Kind())
}
