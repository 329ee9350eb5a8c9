package client

import (
	"context"
	"net/http"

	"google.golang.org/protobuf/proto"

	"github.com/rampart-dev/rampart/provider-shim/api/rampartv1"
)

// The routes of service rampart.v1.Tenancy (proto/rampart/v1/tenancy.proto). Every ref is
// an id or a name, interchangeably. A revision of 0 sends no If-Match.

// GetOrganization reads the token's organization.
func (c *Client) GetOrganization(ctx context.Context) (*rampartv1.Organization, error) {
	return call(ctx, c, request{method: http.MethodGet, segments: []string{"v1", "organization"}}, &rampartv1.Organization{})
}

// ListWorkspaces lists the organization's workspaces, ordered by name.
func (c *Client) ListWorkspaces(ctx context.Context) ([]*rampartv1.Workspace, error) {
	out, err := call(ctx, c, request{method: http.MethodGet, segments: workspacePath()}, &rampartv1.ListWorkspacesResponse{})
	return out.GetItems(), err
}

// CreateWorkspace creates a workspace.
func (c *Client) CreateWorkspace(ctx context.Context, body *rampartv1.CreateWorkspaceRequest) (*rampartv1.Workspace, error) {
	return call(ctx, c, request{method: http.MethodPost, segments: workspacePath(), body: body}, &rampartv1.Workspace{})
}

// GetWorkspace reads the workspace with this id or name.
func (c *Client) GetWorkspace(ctx context.Context, workspaceRef string) (*rampartv1.Workspace, error) {
	return call(ctx, c, request{method: http.MethodGet, segments: workspacePath(workspaceRef)}, &rampartv1.Workspace{})
}

// UpdateWorkspace merge-patches the workspace. The optional fields are sent when set;
// labels has no presence in proto3 and is always sent, so pass the whole desired map
// (an empty map clears the labels).
func (c *Client) UpdateWorkspace(ctx context.Context, workspaceRef string, body *rampartv1.UpdateWorkspaceRequest, revision int64) (*rampartv1.Workspace, error) {
	return call(ctx, c, request{
		method:          http.MethodPatch,
		segments:        workspacePath(workspaceRef),
		body:            body,
		emitUnpopulated: true,
		revision:        revision,
	}, &rampartv1.Workspace{})
}

// DeleteWorkspace deletes the workspace; the daemon refuses (409 conflict) while it still
// has projects.
func (c *Client) DeleteWorkspace(ctx context.Context, workspaceRef string, revision int64) error {
	return c.do(ctx, request{method: http.MethodDelete, segments: workspacePath(workspaceRef), revision: revision}, nil)
}

// ListProjects lists the workspace's projects, ordered by name.
func (c *Client) ListProjects(ctx context.Context, workspaceRef string) ([]*rampartv1.Project, error) {
	out, err := call(ctx, c, request{method: http.MethodGet, segments: projectPath(workspaceRef)}, &rampartv1.ListProjectsResponse{})
	return out.GetItems(), err
}

// CreateProject creates a project in the workspace.
func (c *Client) CreateProject(ctx context.Context, workspaceRef string, body *rampartv1.CreateProjectRequest) (*rampartv1.Project, error) {
	return call(ctx, c, request{method: http.MethodPost, segments: projectPath(workspaceRef), body: body}, &rampartv1.Project{})
}

// GetProject reads a project by its workspace and its own id or name.
func (c *Client) GetProject(ctx context.Context, workspaceRef, projectRef string) (*rampartv1.Project, error) {
	return call(ctx, c, request{method: http.MethodGet, segments: projectPath(workspaceRef, projectRef)}, &rampartv1.Project{})
}

// GetProjectByID reads a project by its id alone.
func (c *Client) GetProjectByID(ctx context.Context, projectID string) (*rampartv1.Project, error) {
	return call(ctx, c, request{method: http.MethodGet, segments: []string{"v1", "projects", projectID}}, &rampartv1.Project{})
}

// UpdateProject merge-patches the project; labels are always sent, as for UpdateWorkspace.
func (c *Client) UpdateProject(ctx context.Context, workspaceRef, projectRef string, body *rampartv1.UpdateProjectRequest, revision int64) (*rampartv1.Project, error) {
	return call(ctx, c, request{
		method:          http.MethodPatch,
		segments:        projectPath(workspaceRef, projectRef),
		body:            body,
		emitUnpopulated: true,
		revision:        revision,
	}, &rampartv1.Project{})
}

// DeleteProject deletes the project.
func (c *Client) DeleteProject(ctx context.Context, workspaceRef, projectRef string, revision int64) error {
	return c.do(ctx, request{method: http.MethodDelete, segments: projectPath(workspaceRef, projectRef), revision: revision}, nil)
}

// call runs req and returns out filled from the answer, or nil and the error.
func call[T proto.Message](ctx context.Context, c *Client, req request, out T) (T, error) {
	if err := c.do(ctx, req, out); err != nil {
		var none T
		return none, err
	}
	return out, nil
}

func workspacePath(workspaceRef ...string) []string {
	return append([]string{"v1", "workspaces"}, workspaceRef...)
}

func projectPath(workspaceRef string, projectRef ...string) []string {
	return append([]string{"v1", "workspaces", workspaceRef, "projects"}, projectRef...)
}
