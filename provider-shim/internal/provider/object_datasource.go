package provider

import (
	"context"
	"fmt"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"

	"github.com/rampart-dev/rampart/provider-shim/internal/client"
)

var (
	_ datasource.DataSource              = &objectDataSource{}
	_ datasource.DataSourceWithConfigure = &objectDataSource{}
)

// lookup describes a data source that reads one object of a kind by name: the same
// attributes as the kind's resource, all computed but the arguments that find it.
type lookup struct {
	kind        *objectKind
	description string
	// arguments find the object (name, email, workspace_id); they keep the configured value.
	arguments map[string]dschema.Attribute
	// extra are computed attributes only the data source has (a role's builtin).
	extra map[string]dschema.Attribute
	// path is where the object is read, from the arguments.
	path func(config values) []string
}

type objectDataSource struct {
	lookup *lookup
	client *client.Client
}

func newObjectDataSource(l *lookup) func() datasource.DataSource {
	return func() datasource.DataSource { return &objectDataSource{lookup: l} }
}

func (d *objectDataSource) Metadata(ctx context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.lookup.kind.typeName
}

func (d *objectDataSource) Schema(ctx context.Context, req datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attributes := map[string]dschema.Attribute{}
	for name, attribute := range d.lookup.kind.attributes {
		attributes[name] = computedDataAttribute(attribute)
	}
	for name, attribute := range d.lookup.extra {
		attributes[name] = attribute
	}
	for name, attribute := range d.lookup.arguments {
		attributes[name] = attribute
	}
	resp.Schema = dschema.Schema{MarkdownDescription: d.lookup.description, Attributes: attributes}
}

func (d *objectDataSource) Configure(ctx context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = configureClient(req.ProviderData, &resp.Diagnostics)
}

func (d *objectDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	config := readValues(ctx, req.Config.Get, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	kind := d.lookup.kind
	answer, err := d.client.DoJSON(ctx, http.MethodGet, d.lookup.path(config), nil, 0)
	if err != nil {
		addAPIError(ctx, &resp.Diagnostics, req.Config.Schema, "Could not read "+kind.noun, err)
		return
	}
	// The arguments stay as configured: a workspace given by name keeps its name.
	prior := values{}
	for name := range d.lookup.arguments {
		prior[name] = config[name]
		delete(answer, kind.jsonName(name))
	}
	object, err := kind.stateFrom(ctx, resp.State.Schema.Type().(attrObjectType).AttributeTypes(), prior, answer)
	if err != nil {
		resp.Diagnostics.AddError("Unexpected answer from rampartd", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, object)...)
}

// computedDataAttribute is a resource attribute as a data source's computed attribute.
func computedDataAttribute(attribute rschema.Attribute) dschema.Attribute {
	description := attribute.GetMarkdownDescription()
	sensitive := attribute.IsSensitive()
	switch a := attribute.(type) {
	case rschema.StringAttribute:
		return dschema.StringAttribute{MarkdownDescription: description, Computed: true, Sensitive: sensitive}
	case rschema.BoolAttribute:
		return dschema.BoolAttribute{MarkdownDescription: description, Computed: true, Sensitive: sensitive}
	case rschema.Int64Attribute:
		return dschema.Int64Attribute{MarkdownDescription: description, Computed: true, Sensitive: sensitive}
	case rschema.MapAttribute:
		return dschema.MapAttribute{MarkdownDescription: description, ElementType: a.ElementType, Computed: true}
	case rschema.SetAttribute:
		return dschema.SetAttribute{MarkdownDescription: description, ElementType: a.ElementType, Computed: true}
	case rschema.ListAttribute:
		return dschema.ListAttribute{MarkdownDescription: description, ElementType: a.ElementType, Computed: true}
	case rschema.SingleNestedAttribute:
		nested := map[string]dschema.Attribute{}
		for name, inner := range a.Attributes {
			nested[name] = computedDataAttribute(inner)
		}
		return dschema.SingleNestedAttribute{MarkdownDescription: description, Attributes: nested, Computed: true}
	}
	panic(fmt.Sprintf("no data source form for %T", attribute))
}

// Arguments of the lookups.

func nameArgument(noun string) dschema.StringAttribute {
	return dschema.StringAttribute{MarkdownDescription: "The " + noun + "'s name.", Required: true}
}

func workspaceArgument(noun string) dschema.StringAttribute {
	return dschema.StringAttribute{
		MarkdownDescription: "The workspace of the " + noun + ", by id or name.",
		Required:            true,
	}
}

var lookups = []*lookup{
	{
		kind:        workspaceKind,
		description: "Reads a workspace by name.",
		arguments:   map[string]dschema.Attribute{"name": nameArgument("workspace")},
		path:        func(v values) []string { return []string{"v1", "workspaces", v.str("name")} },
	},
	{
		kind:        projectKind,
		description: "Reads a project by its workspace and name.",
		arguments: map[string]dschema.Attribute{
			"workspace_id": workspaceArgument("project"), "name": nameArgument("project"),
		},
		path: func(v values) []string {
			return []string{"v1", "workspaces", v.str("workspace_id"), "projects", v.str("name")}
		},
	},
	{
		kind:        stackKind,
		description: "Reads a stack by its workspace and name.",
		arguments: map[string]dschema.Attribute{
			"workspace_id": workspaceArgument("stack"), "name": nameArgument("stack"),
		},
		path: func(v values) []string {
			return []string{"v1", "workspaces", v.str("workspace_id"), "stacks", v.str("name")}
		},
	},
	{
		kind:        teamKind,
		description: "Reads a team by name, with its members.",
		arguments:   map[string]dschema.Attribute{"name": nameArgument("team")},
		path:        func(v values) []string { return []string{"v1", "teams", v.str("name")} },
	},
	{
		kind:        userKind,
		description: "Reads a user by email.",
		arguments: map[string]dschema.Attribute{
			"email": dschema.StringAttribute{MarkdownDescription: "The user's email.", Required: true},
		},
		path: func(v values) []string { return []string{"v1", "users", v.str("email")} },
	},
	{
		kind: roleKind,
		description: "Reads a role by name: a built-in one (`stack.read`, `project.contributor`, ...) with " +
			"the permissions it grants, or a custom role of the organization.",
		arguments: map[string]dschema.Attribute{"name": nameArgument("role")},
		extra: map[string]dschema.Attribute{
			"builtin": dschema.BoolAttribute{MarkdownDescription: "Whether the role is built in (read-only).", Computed: true},
		},
		path: func(v values) []string { return []string{"v1", "roles", v.str("name")} },
	},
}

// dataSourceConstructors are the lookups' constructors, for the provider.
func dataSourceConstructors() []func() datasource.DataSource {
	constructors := make([]func() datasource.DataSource, 0, len(lookups))
	for _, l := range lookups {
		constructors = append(constructors, newObjectDataSource(l))
	}
	return constructors
}
