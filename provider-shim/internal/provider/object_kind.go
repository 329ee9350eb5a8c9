package provider

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/rampart-dev/rampart/provider-shim/internal/client"
)

// values are an object's attributes by name, as Terraform holds them.
type values map[string]attr.Value

// str is the string attribute name, "" when null, unknown or absent.
func (v values) str(name string) string {
	s, _ := v[name].(types.String)
	return s.ValueString()
}

// objectKind describes one kind of rampartd object: its Terraform schema, how its
// attributes map onto the JSON the daemon speaks, and where it lives in the REST API. One
// generic resource (objectResource) and data source (objectDataSource) serve every kind,
// so create, read, update, delete, import, drift and error handling behave the same for
// all of them.
type objectKind struct {
	typeName    string // "project": the resource is rampart_project
	noun        string // "project", in messages
	description string // the resource's description (markdown), import section included
	attributes  map[string]schema.Attribute

	// jsonNames maps attribute names to the daemon's field names where they differ.
	jsonNames map[string]string
	// create lists the attributes a create sends (those known and not null).
	create []string
	// update lists the attributes a PATCH may change; it sends those whose planned value
	// differs from the state. Every other configurable attribute must be RequiresReplace.
	update []string
	// jsonText lists string attributes holding a JSON document the daemon stores as an
	// object; they compare by value, so formatting and key order never show as drift.
	jsonText []string
	// instants lists RFC 3339 attributes, compared as instants ("...:00Z" and "...:00.000Z").
	instants []string

	// collection is where a create is sent, from the planned values.
	collection func(planned values) []string
	// item is where the object is read, changed and deleted, from its state.
	item func(state values) []string
	// importPath is where an import ID (an id or a name path) is read, or an error saying
	// what the ID should look like.
	importPath func(importID string) ([]string, error)

	// resolve, when set, fills in before a create what the collection path needs and the
	// configuration does not say (a project binding's workspace).
	resolve func(ctx context.Context, c *client.Client, planned values) error
	// createMethod, when set, replaces POST (a singleton is "created" by a PATCH).
	createMethod string
	// forgetOnDelete: destroying the resource only removes it from the state.
	forgetOnDelete bool
	// gone reports whether a read object no longer counts as existing (a revoked key).
	gone func(api client.Object) bool
	// adopt, when set, runs on every answer before it becomes state: it may put back the
	// configured spelling of a value the daemon answers in another form (a role's name
	// where the daemon answers its id).
	adopt func(ctx context.Context, c *client.Client, prior values, api client.Object) error
	// replaceUnlessSame lists string attributes whose change replaces the object unless
	// both values name the same thing (a custom role by name and by id), which only the
	// daemon can tell; such attributes carry no RequiresReplace plan modifier of their own.
	replaceUnlessSame map[string]func(ctx context.Context, c *client.Client, planned, prior string) (bool, error)
	// configValidators check the configuration as a whole at plan time (exactly one
	// principal, at most one scope).
	configValidators []resource.ConfigValidator
}

// jsonName is the daemon's field name for an attribute.
func (k *objectKind) jsonName(attribute string) string {
	if name, ok := k.jsonNames[attribute]; ok {
		return name
	}
	return attribute
}

func (k *objectKind) isJSONText(attribute string) bool { return slices.Contains(k.jsonText, attribute) }
func (k *objectKind) isInstant(attribute string) bool  { return slices.Contains(k.instants, attribute) }
