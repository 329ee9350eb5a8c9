package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"google.golang.org/protobuf/proto"

	"github.com/rampart-dev/rampart/provider-shim/api/rampartv1"
	"github.com/rampart-dev/rampart/provider-shim/internal/client"
)

var (
	_ resource.Resource                = &projectResource{}
	_ resource.ResourceWithConfigure   = &projectResource{}
	_ resource.ResourceWithImportState = &projectResource{}
)

// NewProjectResource is the constructor the provider registers for rampart_project.
func NewProjectResource() resource.Resource {
	return &projectResource{}
}

type projectResource struct {
	client *client.Client
}

type projectModel struct {
	namedObjectModel
	WorkspaceID types.String `tfsdk:"workspace_id"`
}

// projectModelFrom is the state for a project as the daemon returned it.
func projectModelFrom(project *rampartv1.Project) projectModel {
	return projectModel{
		namedObjectModel: namedObjectModelFrom(project),
		WorkspaceID:      types.StringValue(project.GetWorkspaceId()),
	}
}

// workspaceID accepts only an id: the daemon would also take a name, but state holds the
// id it answers with, so a name here would plan a replacement on every run.
var workspaceID = regexp.MustCompile(`^ws_[^/]+$`)

func (r *projectResource) Metadata(ctx context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_project"
}

func (r *projectResource) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A project in a workspace: where pipelines, models and artifacts live, and a scope " +
			"for role assignments.\n\n" +
			"Import by id (`prj_...`) or by name path (`workspaces/alpha-workspace/projects/recommendation-engine`).",
		Attributes: withAttributes(namedObjectAttributes("project", "prj_", "the workspace"), map[string]schema.Attribute{
			"workspace_id": schema.StringAttribute{
				MarkdownDescription: "Id of the workspace that holds the project, e.g. `rampart_workspace.example.id`. " +
					"A project cannot move: changing it replaces the project.",
				Required:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators: []validator.String{stringvalidator.RegexMatches(workspaceID,
					"must be a workspace id (ws_...), e.g. rampart_workspace.example.id")},
			},
		}),
	}
}

func (r *projectResource) Configure(ctx context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = configureClient(req.ProviderData, &resp.Diagnostics)
}

func (r *projectResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan projectModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	labels := labelsFromModel(ctx, plan.Labels, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}

	project, err := r.client.CreateProject(ctx, plan.WorkspaceID.ValueString(), &rampartv1.CreateProjectRequest{
		Name:        plan.Name.ValueString(),
		DisplayName: plan.DisplayName.ValueString(),
		Description: plan.Description.ValueString(),
		Labels:      labels,
	})
	if client.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("workspace_id"), "Could not create project",
			fmt.Sprintf("Workspace %s does not exist in the token's organization: %s", plan.WorkspaceID.ValueString(), err))
		return
	}
	if err != nil {
		addAPIError(ctx, &resp.Diagnostics, req.Plan.Schema, "Could not create project", err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, projectModelFrom(project))...)
	resp.Diagnostics.Append(setRevision(ctx, resp.Private, project.GetRevision())...)
}

func (r *projectResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state projectModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}

	project, err := r.client.GetProject(ctx, state.WorkspaceID.ValueString(), state.ID.ValueString())
	if client.IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addAPIError(ctx, &resp.Diagnostics, req.State.Schema, "Could not read project", err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, projectModelFrom(project))...)
	resp.Diagnostics.Append(setRevision(ctx, resp.Private, project.GetRevision())...)
}

func (r *projectResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state projectModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	labels := labelsFromModel(ctx, plan.Labels, &resp.Diagnostics)
	revision, diags := getRevision(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	// The whole desired state, as for workspaces.
	project, err := r.client.UpdateProject(ctx, state.WorkspaceID.ValueString(), state.ID.ValueString(), &rampartv1.UpdateProjectRequest{
		Name:        proto.String(plan.Name.ValueString()),
		DisplayName: proto.String(plan.DisplayName.ValueString()),
		Description: proto.String(plan.Description.ValueString()),
		Labels:      labels,
	}, revision)
	if err != nil {
		addAPIError(ctx, &resp.Diagnostics, req.Plan.Schema, "Could not update project", err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, projectModelFrom(project))...)
	resp.Diagnostics.Append(setRevision(ctx, resp.Private, project.GetRevision())...)
}

func (r *projectResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state projectModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}

	// No If-Match, as for workspaces.
	err := r.client.DeleteProject(ctx, state.WorkspaceID.ValueString(), state.ID.ValueString(), 0)
	if err != nil && !client.IsNotFound(err) {
		addAPIError(ctx, &resp.Diagnostics, req.State.Schema, "Could not delete project", err)
	}
}

func (r *projectResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	ref, err := parseProjectImportID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid project import ID", err.Error())
		return
	}
	var project *rampartv1.Project
	if ref.workspaceRef == "" {
		project, err = r.client.GetProjectByID(ctx, ref.projectRef)
	} else {
		project, err = r.client.GetProject(ctx, ref.workspaceRef, ref.projectRef)
	}
	if err != nil {
		addAPIError(ctx, &resp.Diagnostics, resp.State.Schema, fmt.Sprintf("Could not import project %q", req.ID), err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, projectModelFrom(project))...)
	resp.Diagnostics.Append(setRevision(ctx, resp.Private, project.GetRevision())...)
}

// projectImportRef is what a project import ID names: a project id alone (workspaceRef
// empty), or a workspace and a project, each by id or name.
type projectImportRef struct {
	workspaceRef string
	projectRef   string
}

// parseProjectImportID accepts "prj_..." and "workspaces/W/projects/P".
func parseProjectImportID(importID string) (projectImportRef, error) {
	if !strings.Contains(importID, "/") && isID(importID, "prj_") {
		return projectImportRef{projectRef: importID}, nil
	}
	parts := strings.Split(importID, "/")
	if len(parts) == 4 && parts[0] == "workspaces" && parts[2] == "projects" && isRef(parts[1], "ws_") && isRef(parts[3], "prj_") {
		return projectImportRef{workspaceRef: parts[1], projectRef: parts[3]}, nil
	}
	return projectImportRef{}, fmt.Errorf("%q is not a project id (prj_...) or name path "+
		"(workspaces/alpha-workspace/projects/recommendation-engine)", importID)
}
