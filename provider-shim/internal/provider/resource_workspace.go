package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"google.golang.org/protobuf/proto"

	"github.com/rampart-dev/rampart/provider-shim/api/rampartv1"
	"github.com/rampart-dev/rampart/provider-shim/internal/client"
)

var (
	_ resource.Resource                = &workspaceResource{}
	_ resource.ResourceWithConfigure   = &workspaceResource{}
	_ resource.ResourceWithImportState = &workspaceResource{}
)

// NewWorkspaceResource is the constructor the provider registers for rampart_workspace.
func NewWorkspaceResource() resource.Resource {
	return &workspaceResource{}
}

type workspaceResource struct {
	client *client.Client
}

type workspaceModel struct {
	namedObjectModel
}

// workspaceModelFrom is the state for a workspace as the daemon returned it.
func workspaceModelFrom(workspace *rampartv1.Workspace) workspaceModel {
	return workspaceModel{namedObjectModelFrom(workspace)}
}

func (r *workspaceResource) Metadata(ctx context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_workspace"
}

func (r *workspaceResource) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A workspace of the organization: the unit that holds projects, stacks and " +
			"stack components, and a scope for role assignments.\n\n" +
			"Import by id (`ws_...`), by name (`alpha-workspace`) or by name path (`workspaces/alpha-workspace`).",
		Attributes: namedObjectAttributes("workspace", "ws_", "the organization"),
	}
}

func (r *workspaceResource) Configure(ctx context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = configureClient(req.ProviderData, &resp.Diagnostics)
}

func (r *workspaceResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan workspaceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	labels := labelsFromModel(ctx, plan.Labels, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}

	workspace, err := r.client.CreateWorkspace(ctx, &rampartv1.CreateWorkspaceRequest{
		Name:        plan.Name.ValueString(),
		DisplayName: plan.DisplayName.ValueString(),
		Description: plan.Description.ValueString(),
		Labels:      labels,
	})
	if err != nil {
		addAPIError(ctx, &resp.Diagnostics, req.Plan.Schema, "Could not create workspace", err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, workspaceModelFrom(workspace))...)
	resp.Diagnostics.Append(setRevision(ctx, resp.Private, workspace.GetRevision())...)
}

func (r *workspaceResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state workspaceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}

	workspace, err := r.client.GetWorkspace(ctx, state.ID.ValueString())
	if client.IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addAPIError(ctx, &resp.Diagnostics, req.State.Schema, "Could not read workspace", err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, workspaceModelFrom(workspace))...)
	resp.Diagnostics.Append(setRevision(ctx, resp.Private, workspace.GetRevision())...)
}

func (r *workspaceResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state workspaceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	labels := labelsFromModel(ctx, plan.Labels, &resp.Diagnostics)
	revision, diags := getRevision(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	// The whole desired state, so the result does not depend on what the merge patch
	// would have left alone.
	workspace, err := r.client.UpdateWorkspace(ctx, state.ID.ValueString(), &rampartv1.UpdateWorkspaceRequest{
		Name:        proto.String(plan.Name.ValueString()),
		DisplayName: proto.String(plan.DisplayName.ValueString()),
		Description: proto.String(plan.Description.ValueString()),
		Labels:      labels,
	}, revision)
	if err != nil {
		addAPIError(ctx, &resp.Diagnostics, req.Plan.Schema, "Could not update workspace", err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, workspaceModelFrom(workspace))...)
	resp.Diagnostics.Append(setRevision(ctx, resp.Private, workspace.GetRevision())...)
}

func (r *workspaceResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state workspaceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}

	// No If-Match: destroying means "gone", whatever changed since the last read.
	err := r.client.DeleteWorkspace(ctx, state.ID.ValueString(), 0)
	if err != nil && !client.IsNotFound(err) {
		addAPIError(ctx, &resp.Diagnostics, req.State.Schema, "Could not delete workspace", err)
	}
}

func (r *workspaceResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	workspaceRef, err := parseWorkspaceImportID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid workspace import ID", err.Error())
		return
	}
	workspace, err := r.client.GetWorkspace(ctx, workspaceRef)
	if err != nil {
		addAPIError(ctx, &resp.Diagnostics, resp.State.Schema, fmt.Sprintf("Could not import workspace %q", req.ID), err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, workspaceModelFrom(workspace))...)
	resp.Diagnostics.Append(setRevision(ctx, resp.Private, workspace.GetRevision())...)
}

// parseWorkspaceImportID returns the id or name that an import ID names: an id
// ("ws_..."), a name ("alpha-workspace") or a name path ("workspaces/alpha-workspace").
func parseWorkspaceImportID(importID string) (string, error) {
	ref := strings.TrimPrefix(importID, "workspaces/")
	if !strings.Contains(ref, "/") && isRef(ref, "ws_") {
		return ref, nil
	}
	return "", fmt.Errorf("%q is not a workspace id (ws_...), name (alpha-workspace) or name path (workspaces/alpha-workspace)", importID)
}
