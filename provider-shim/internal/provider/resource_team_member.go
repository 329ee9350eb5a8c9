package provider

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/rampart-dev/rampart/provider-shim/internal/client"
)

var (
	_ resource.Resource                = &teamMemberResource{}
	_ resource.ResourceWithConfigure   = &teamMemberResource{}
	_ resource.ResourceWithImportState = &teamMemberResource{}
)

// NewTeamMemberResource is the constructor the provider registers for rampart_team_member:
// one membership, added and removed on its own (PUT and DELETE
// /v1/teams/{team}/members/{member}), leaving the team's other members alone.
func NewTeamMemberResource() resource.Resource {
	return &teamMemberResource{}
}

type teamMemberResource struct {
	client *client.Client
}

type teamMemberModel struct {
	ID     types.String `tfsdk:"id"`
	TeamID types.String `tfsdk:"team_id"`
	Member types.String `tfsdk:"member"`
}

func (r *teamMemberResource) Metadata(ctx context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_team_member"
}

func (r *teamMemberResource) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "One member of a team, managed on its own: other members, added by other " +
			"configurations or by hand, are left alone. Do not use it for a team whose `rampart_team` sets " +
			"`members`: that list is authoritative, and each apply would undo the other's changes. Adding a " +
			"member needs every permission the team holds." +
			importHelp("`TEAM_ID/MEMBER_ID`", "name path `teams/TEAM/members/MEMBER_ID`"),
		Attributes: map[string]schema.Attribute{
			"id":      computedString("`TEAM_ID/MEMBER_ID`."),
			"team_id": referenceAttribute("The team.", "team", "rampart_team.developers.id", true),
			"member": schema.StringAttribute{
				MarkdownDescription: "The id of the user or service account (`usr_...`, `sa_...`), e.g. " +
					"`rampart_user.dana.id`. Changing it replaces the membership.",
				Required:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:    []validator.String{principalIDValidator()},
			},
		},
	}
}

func (r *teamMemberResource) Configure(ctx context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = configureClient(req.ProviderData, &resp.Diagnostics)
}

func memberPath(team, member string) []string {
	return []string{"v1", "teams", team, "members", member}
}

func (r *teamMemberResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan teamMemberModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	_, err := r.client.DoJSON(ctx, http.MethodPut, memberPath(plan.TeamID.ValueString(), plan.Member.ValueString()), nil, 0)
	if err != nil {
		addAPIError(ctx, &resp.Diagnostics, req.Plan.Schema, "Could not add team member", err)
		return
	}
	plan.ID = types.StringValue(plan.TeamID.ValueString() + "/" + plan.Member.ValueString())
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

func (r *teamMemberResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state teamMemberModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	present, err := r.isMember(ctx, state.TeamID.ValueString(), state.Member.ValueString())
	if client.IsNotFound(err) || (err == nil && !present) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addAPIError(ctx, &resp.Diagnostics, req.State.Schema, "Could not read team members", err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// Update is never called: both arguments replace the membership.
func (r *teamMemberResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.Diagnostics.AddError("Unexpected update", "rampart_team_member has nothing to update in place; please report this.")
}

func (r *teamMemberResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state teamMemberModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	_, err := r.client.DoJSON(ctx, http.MethodDelete, memberPath(state.TeamID.ValueString(), state.Member.ValueString()), nil, 0)
	if err != nil && !client.IsNotFound(err) {
		addAPIError(ctx, &resp.Diagnostics, req.State.Schema, "Could not remove team member", err)
	}
}

func (r *teamMemberResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	team, member, ok := parseTeamMemberImportID(req.ID)
	if !ok {
		resp.Diagnostics.AddError("Invalid team member import ID", fmt.Sprintf(
			"%q is neither TEAM_ID/MEMBER_ID nor teams/TEAM/members/MEMBER_ID (MEMBER_ID: usr_... or sa_...)", req.ID))
		return
	}
	answer, err := r.client.DoJSON(ctx, http.MethodGet, []string{"v1", "teams", team}, nil, 0)
	if err != nil {
		addAPIError(ctx, &resp.Diagnostics, resp.State.Schema, fmt.Sprintf("Could not import team member %q", req.ID), err)
		return
	}
	teamID, _ := answer["id"].(string)
	if present, err := r.isMember(ctx, teamID, member); err != nil || !present {
		resp.Diagnostics.AddAttributeError(path.Root("member"), fmt.Sprintf("Could not import team member %q", req.ID),
			fmt.Sprintf("%s is not a member of team %s.", member, team))
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, teamMemberModel{
		ID: types.StringValue(teamID + "/" + member), TeamID: types.StringValue(teamID), Member: types.StringValue(member),
	})...)
}

// isMember reads the team's members (GET /v1/teams/{team}/members).
func (r *teamMemberResource) isMember(ctx context.Context, team, member string) (bool, error) {
	answer, err := r.client.DoJSON(ctx, http.MethodGet, []string{"v1", "teams", team, "members"}, nil, 0)
	if err != nil {
		return false, err
	}
	members, _ := answer["members"].([]any)
	return slices.Contains(members, any(member)), nil
}

// parseTeamMemberImportID reads "TEAM_ID/MEMBER_ID" or "teams/TEAM/members/MEMBER_ID"
// (TEAM a name or an id).
func parseTeamMemberImportID(importID string) (team, member string, ok bool) {
	parts := strings.Split(importID, "/")
	switch {
	case len(parts) == 2 && idPattern("team").MatchString(parts[0]):
		team, member = parts[0], parts[1]
	case len(parts) == 4 && parts[0] == "teams" && parts[1] != "" && parts[2] == "members":
		team, member = parts[1], parts[3]
	default:
		return "", "", false
	}
	return team, member, idPattern("usr", "sa").MatchString(member)
}
