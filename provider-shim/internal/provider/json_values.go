package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Conversions between the daemon's JSON (as encoding/json decodes it, numbers as
// json.Number) and Terraform attribute values, driven by the attribute's type.

// valueFromJSON converts raw to a value of type typ. A JSON null is a null value.
func valueFromJSON(ctx context.Context, typ attr.Type, raw any) (attr.Value, error) {
	if raw == nil {
		return nullValue(ctx, typ)
	}
	switch t := typ.(type) {
	case basetypes.StringType:
		switch v := raw.(type) {
		case string:
			return types.StringValue(v), nil
		case json.Number:
			return types.StringValue(v.String()), nil
		}
	case basetypes.BoolType:
		if v, ok := raw.(bool); ok {
			return types.BoolValue(v), nil
		}
	case basetypes.Int64Type:
		if v, ok := raw.(json.Number); ok {
			n, err := v.Int64()
			if err != nil {
				return nil, err
			}
			return types.Int64Value(n), nil
		}
	case basetypes.MapType:
		if v, ok := raw.(map[string]any); ok {
			elements := make(map[string]attr.Value, len(v))
			for key, item := range v {
				element, err := valueFromJSON(ctx, t.ElemType, item)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", key, err)
				}
				elements[key] = element
			}
			value, diags := types.MapValue(t.ElemType, elements)
			return value, diagError(diags)
		}
	case basetypes.SetType:
		elements, err := elementsFromJSON(ctx, t.ElemType, raw)
		if err != nil {
			return nil, err
		}
		value, diags := types.SetValue(t.ElemType, elements)
		return value, diagError(diags)
	case basetypes.ListType:
		elements, err := elementsFromJSON(ctx, t.ElemType, raw)
		if err != nil {
			return nil, err
		}
		value, diags := types.ListValue(t.ElemType, elements)
		return value, diagError(diags)
	case basetypes.ObjectType:
		if v, ok := raw.(map[string]any); ok {
			attributes := make(map[string]attr.Value, len(t.AttrTypes))
			for name, attributeType := range t.AttrTypes {
				attribute, err := valueFromJSON(ctx, attributeType, v[name])
				if err != nil {
					return nil, fmt.Errorf("%s: %w", name, err)
				}
				attributes[name] = attribute
			}
			value, diags := types.ObjectValue(t.AttrTypes, attributes)
			return value, diagError(diags)
		}
	}
	return nil, fmt.Errorf("cannot read %T as %s", raw, typ)
}

func elementsFromJSON(ctx context.Context, elementType attr.Type, raw any) ([]attr.Value, error) {
	items, ok := raw.([]any)
	if !ok {
		return nil, fmt.Errorf("cannot read %T as a list", raw)
	}
	elements := make([]attr.Value, 0, len(items))
	for i, item := range items {
		element, err := valueFromJSON(ctx, elementType, item)
		if err != nil {
			return nil, fmt.Errorf("[%d]: %w", i, err)
		}
		elements = append(elements, element)
	}
	return elements, nil
}

// nullValue is the null value of typ.
func nullValue(ctx context.Context, typ attr.Type) (attr.Value, error) {
	return typ.ValueFromTerraform(ctx, tftypes.NewValue(typ.TerraformType(ctx), nil))
}

// diagError is the first error of diags, as an error; nil when there is none.
func diagError(diags diag.Diagnostics) error {
	for _, d := range diags.Errors() {
		return fmt.Errorf("%s: %s", d.Summary(), d.Detail())
	}
	return nil
}

// valueToJSON converts a known value to what encoding/json marshals as the daemon expects;
// null is nil, and an object's null attributes are left out.
func valueToJSON(value attr.Value) any {
	if value == nil || value.IsNull() || value.IsUnknown() {
		return nil
	}
	switch v := value.(type) {
	case basetypes.StringValue:
		return v.ValueString()
	case basetypes.BoolValue:
		return v.ValueBool()
	case basetypes.Int64Value:
		return v.ValueInt64()
	case basetypes.MapValue:
		out := make(map[string]any, len(v.Elements()))
		for key, element := range v.Elements() {
			out[key] = valueToJSON(element)
		}
		return out
	case basetypes.SetValue:
		return elementsToJSON(v.Elements())
	case basetypes.ListValue:
		return elementsToJSON(v.Elements())
	case basetypes.ObjectValue:
		out := map[string]any{}
		for name, attribute := range v.Attributes() {
			if !attribute.IsNull() && !attribute.IsUnknown() {
				out[name] = valueToJSON(attribute)
			}
		}
		return out
	}
	return value.String()
}

func elementsToJSON(elements []attr.Value) []any {
	out := make([]any, 0, len(elements))
	for _, element := range elements {
		out = append(out, valueToJSON(element))
	}
	return out
}

// canonicalJSON is raw as compact JSON with sorted keys (how jsonencode writes it).
func canonicalJSON(raw any) (string, error) {
	var buffer bytes.Buffer
	encoder := json.NewEncoder(&buffer)
	encoder.SetEscapeHTML(false)
	if err := encoder.Encode(raw); err != nil {
		return "", err
	}
	return string(bytes.TrimRight(buffer.Bytes(), "\n")), nil
}

// sameJSON reports whether two JSON texts hold the same value.
func sameJSON(a, b string) bool {
	var left, right any
	if json.Unmarshal([]byte(a), &left) != nil || json.Unmarshal([]byte(b), &right) != nil {
		return false
	}
	return reflect.DeepEqual(left, right)
}

// sameInstant reports whether two RFC 3339 texts name the same instant.
func sameInstant(a, b string) bool {
	left, errLeft := time.Parse(time.RFC3339Nano, a)
	right, errRight := time.Parse(time.RFC3339Nano, b)
	return errLeft == nil && errRight == nil && left.Equal(right)
}
