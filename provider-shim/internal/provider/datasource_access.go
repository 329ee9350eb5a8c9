package provider

import (
	"context"
	"net/http"
	"net/url"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/rampart-dev/rampart/provider-shim/internal/client"
)

// The daemon's access questions as data sources: one check, and a scope's access matrix.

var (
	_ datasource.DataSourceWithConfigure = &accessCheckDataSource{}
	_ datasource.DataSourceWithConfigure = &accessMatrixDataSource{}
)

// NewAccessCheckDataSource is the constructor of rampart_access_check (POST /v1/check).
func NewAccessCheckDataSource() datasource.DataSource { return &accessCheckDataSource{} }

type accessCheckDataSource struct{ client *client.Client }

// accessCheckAnswers are the computed attributes of a check, from its result and explanation.
var accessCheckAnswers = map[string]string{
	"allowed":       "Whether the principal may.",
	"reason":        "Why not, when denied.",
	"role":          "The role that grants it (a built-in name or a custom role id), when allowed.",
	"role_name":     "That role's name, when allowed.",
	"assignment_id": "The assignment that grants it, when allowed.",
	"scope_type":    "Where that assignment is made: `organization`, `workspace`, `project` or `stack`.",
	"scope_id":      "The id of that scope.",
	"via_team_id":   "The team through which the principal holds it; empty when held directly.",
}

func (d *accessCheckDataSource) Metadata(ctx context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_access_check"
}

func (d *accessCheckDataSource) Schema(ctx context.Context, req datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attributes := map[string]schema.Attribute{
		"principal": schema.StringAttribute{
			MarkdownDescription: "Who: `user:EMAIL`, `service_account:NAME`, `team:NAME`, or an id.",
			Required:            true,
		},
		"permission": schema.StringAttribute{
			MarkdownDescription: "What: a permission such as `stack:use` or `model:promote:production`.",
			Required:            true,
		},
		"resource": schema.StringAttribute{
			MarkdownDescription: "On what: a name path (`organization`, `workspaces/W`, `workspaces/W/projects/P`, " +
				"`workspaces/W/stacks/S`; ids work for names).",
			Required: true,
		},
	}
	for name, description := range accessCheckAnswers {
		if name == "allowed" {
			attributes[name] = schema.BoolAttribute{MarkdownDescription: description, Computed: true}
			continue
		}
		attributes[name] = schema.StringAttribute{MarkdownDescription: description, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Asks the daemon whether a principal may do something on a resource, with the " +
			"explanation. Useful in `check` blocks and `precondition`s, to assert an access matrix. Asking " +
			"needs `role_assignment:read` on the resource, unless the token asks about itself.",
		Attributes: attributes,
	}
}

func (d *accessCheckDataSource) Configure(ctx context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = configureClient(req.ProviderData, &resp.Diagnostics)
}

func (d *accessCheckDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	config := readValues(ctx, req.Config.Get, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	question := client.Object{}
	for _, name := range []string{"principal", "permission", "resource"} {
		question[name] = config.str(name)
	}
	answer, err := d.client.DoJSON(ctx, http.MethodPost, []string{"v1", "check"}, question, 0)
	if err != nil {
		addAPIError(ctx, &resp.Diagnostics, req.Config.Schema, "Could not check access", err)
		return
	}
	explanation, _ := answer["explanation"].(map[string]any)
	scope, _ := explanation["scope"].(map[string]any)
	allowed, _ := answer["allowed"].(bool)
	result := map[string]attr.Value{"allowed": types.BoolValue(allowed)}
	for name, value := range map[string]any{
		"reason": answer["reason"], "role": explanation["role"], "role_name": explanation["role_name"],
		"assignment_id": explanation["assignment_id"], "scope_type": scope["type"], "scope_id": scope["id"],
		"via_team_id": explanation["via_team_id"],
	} {
		text, _ := value.(string)
		result[name] = types.StringValue(text)
	}
	for _, name := range []string{"principal", "permission", "resource"} {
		result[name] = config[name]
	}
	for name, value := range result {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(name), value)...)
	}
}

// NewAccessMatrixDataSource is the constructor of rampart_access_matrix
// (GET /v1/access-matrix).
func NewAccessMatrixDataSource() datasource.DataSource { return &accessMatrixDataSource{} }

type accessMatrixDataSource struct{ client *client.Client }

// accessRowColumns are the attributes of a matrix row, as the daemon names them; the
// scope's type and id are flattened.
var accessRowColumns = map[string]string{
	"principal_type": "`user`, `service_account`, `team` or `api_key`.",
	"principal_id":   "The principal's id.",
	"principal_name": "Its email or name.",
	"role":           "The role: a built-in name or a custom role id.",
	"role_name":      "The role's name.",
	"scope_type":     "Where the assignment is made: `organization`, `workspace`, `project` or `stack`.",
	"scope_id":       "The id of that scope.",
	"via":            "`direct`, or `team:NAME` when the principal holds the role through a team.",
	"assignment_id":  "The assignment.",
	"granted_by":     "Who granted it.",
	"granted_at":     "When (RFC 3339).",
	"expires_at":     "When it ends; null when never.",
}

func accessRowType() types.ObjectType {
	attributeTypes := map[string]attr.Type{}
	for name := range accessRowColumns {
		attributeTypes[name] = types.StringType
	}
	return types.ObjectType{AttrTypes: attributeTypes}
}

func (d *accessMatrixDataSource) Metadata(ctx context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_access_matrix"
}

func (d *accessMatrixDataSource) Schema(ctx context.Context, req datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	columns := map[string]schema.Attribute{}
	for name, description := range accessRowColumns {
		columns[name] = schema.StringAttribute{MarkdownDescription: description, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Who holds what at a scope and below: one row per (principal, role, scope), teams " +
			"expanded into their members (the team's own row stays), with who granted it and when. Needs " +
			"`role_assignment:read` on the scope.",
		Attributes: map[string]schema.Attribute{
			"scope": schema.StringAttribute{
				MarkdownDescription: "A name path: `organization`, `workspaces/W`, `workspaces/W/projects/P` " +
					"or `workspaces/W/stacks/S` (ids work for names).",
				Required: true,
			},
			"rows": schema.ListNestedAttribute{
				MarkdownDescription: "The matrix, in the daemon's order.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: columns},
			},
		},
	}
}

func (d *accessMatrixDataSource) Configure(ctx context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = configureClient(req.ProviderData, &resp.Diagnostics)
}

func (d *accessMatrixDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var scope types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("scope"), &scope)...)
	if resp.Diagnostics.HasError() {
		return
	}
	answer, err := d.client.GetJSON(ctx, []string{"v1", "access-matrix"}, url.Values{"scope": {scope.ValueString()}})
	if err != nil {
		addAPIError(ctx, &resp.Diagnostics, req.Config.Schema, "Could not read the access matrix", err)
		return
	}
	rowType := accessRowType()
	rawRows, _ := answer["rows"].([]any)
	rows := make([]attr.Value, 0, len(rawRows))
	for _, raw := range rawRows {
		row, _ := raw.(map[string]any)
		scopeRef, _ := row["scope"].(map[string]any)
		columns := map[string]attr.Value{}
		for name := range accessRowColumns {
			value := row[name]
			switch name {
			case "scope_type":
				value = scopeRef["type"]
			case "scope_id":
				value = scopeRef["id"]
			}
			text, ok := value.(string)
			columns[name] = types.StringValue(text)
			if !ok {
				columns[name] = types.StringNull()
			}
		}
		rows = append(rows, types.ObjectValueMust(rowType.AttrTypes, columns))
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("scope"), scope)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("rows"), types.ListValueMust(rowType, rows))...)
}
