package e2e

import (
	"encoding/json"
	"maps"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rampart-dev/rampart/provider-shim/api/rampartv1"
)

// What terraform-examples/quickstart/main.tf declares.
const (
	quickstartWorkspace        = "quickstart"
	quickstartWorkspaceDisplay = "Quickstart"
	quickstartWorkspaceDesc    = "Created by the Rampart quickstart example."
	quickstartProject          = "first-project"
	quickstartProjectDesc      = "The quickstart's first project."

	workspaceAddress = "rampart_workspace.quickstart"
	projectAddress   = "rampart_project.quickstart"
)

var (
	quickstartWorkspaceLabels = map[string]string{"cost_center": "cc-1234", "environment": "dev"}
	quickstartProjectLabels   = map[string]string{"team": "platform"}
)

// TestQuickstart walks the quickstart example through a platform team's life cycle:
// apply, empty plan, drift, repair, import, deletion outside Terraform, destroy.
func TestQuickstart(t *testing.T) {
	found := findTools(t)
	d := startDaemon(t, found.rampartd)
	workDir := t.TempDir()
	if err := copyTree(filepath.Join(found.repoRoot, "terraform-examples", "quickstart"), workDir); err != nil {
		t.Fatalf("copying the quickstart example: %v", err)
	}
	tf := newCLI(t, found, d, workDir)

	tf.expect(0, "init", "-input=false")
	tf.expect(0, "apply", "-auto-approve", "-input=false")

	workspace, project := checkQuickstartObjects(t, d)
	var outputs map[string]struct {
		Value string `json:"value"`
	}
	if err := json.Unmarshal([]byte(tf.expect(0, "output", "-json")), &outputs); err != nil {
		t.Fatalf("terraform output -json: %v", err)
	}
	if outputs["workspace_id"].Value != workspace.GetId() || outputs["project_id"].Value != project.GetId() {
		t.Errorf("outputs %v, want workspace_id %s and project_id %s", outputs, workspace.GetId(), project.GetId())
	}

	t.Log("a second plan after apply is empty")
	tf.expect(0, "plan", "-detailed-exitcode", "-input=false")

	t.Log("a change made outside Terraform shows as drift, and apply repairs it")
	const outsideDescription = "changed outside Terraform"
	d.expect(http.StatusOK, http.MethodPatch, "/v1/workspaces/"+quickstartWorkspace,
		map[string]any{"description": outsideDescription})
	plan := normalize(tf.expect(2, "plan", "-detailed-exitcode", "-input=false"))
	for _, want := range []string{
		workspaceAddress + " will be updated in-place",
		`~ description = "` + outsideDescription + `" -> "` + quickstartWorkspaceDesc + `"`,
		"Plan: 0 to add, 1 to change, 0 to destroy",
	} {
		if !strings.Contains(plan, want) {
			t.Errorf("drift plan does not mention %q", want)
		}
	}
	tf.expect(0, "apply", "-auto-approve", "-input=false")
	checkQuickstartObjects(t, d)
	tf.expect(0, "plan", "-detailed-exitcode", "-input=false")

	t.Log("import by name path, by id and by bare name each give an empty plan")
	for _, imports := range []struct{ how, workspaceID, projectID string }{
		{"name path", "workspaces/" + quickstartWorkspace, "workspaces/" + quickstartWorkspace + "/projects/" + quickstartProject},
		{"id", workspace.GetId(), project.GetId()},
		{"bare workspace name, project by mixed path", quickstartWorkspace, "workspaces/" + workspace.GetId() + "/projects/" + quickstartProject},
	} {
		t.Logf("import by %s", imports.how)
		tf.expect(0, "state", "rm", projectAddress, workspaceAddress)
		tf.expect(0, "import", "-input=false", workspaceAddress, imports.workspaceID)
		tf.expect(0, "import", "-input=false", projectAddress, imports.projectID)
		tf.expect(0, "plan", "-detailed-exitcode", "-input=false")
	}

	t.Log("an object deleted outside Terraform leaves the state and is planned for creation")
	d.expect(http.StatusNoContent, http.MethodDelete, "/v1/workspaces/"+quickstartWorkspace+"/projects/"+quickstartProject, nil)
	plan = normalize(tf.expect(2, "plan", "-detailed-exitcode", "-input=false"))
	for _, want := range []string{projectAddress + " will be created", "Plan: 1 to add, 0 to change, 0 to destroy"} {
		if !strings.Contains(plan, want) {
			t.Errorf("plan after deleting the project does not mention %q", want)
		}
	}

	t.Log("destroy leaves the organization empty")
	tf.expect(0, "destroy", "-auto-approve", "-input=false")
	answer := d.expect(http.StatusOK, http.MethodGet, "/v1/workspaces", nil)
	var list rampartv1.ListWorkspacesResponse
	strictDecode(t, answer, &list)
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(answer.body, &raw); err != nil || len(list.GetItems()) != 0 || string(raw["items"]) != "[]" {
		t.Errorf(`%v; want {"items": []}`, answer)
	}
}

// checkQuickstartObjects reads the quickstart's workspace and project through the REST
// API and checks them against the example's configuration.
func checkQuickstartObjects(t *testing.T, d *daemon) (*rampartv1.Workspace, *rampartv1.Project) {
	t.Helper()
	workspace := &rampartv1.Workspace{}
	strictDecode(t, d.expect(http.StatusOK, http.MethodGet, "/v1/workspaces/"+quickstartWorkspace, nil), workspace)
	if workspace.GetName() != quickstartWorkspace || workspace.GetDisplayName() != quickstartWorkspaceDisplay ||
		workspace.GetDescription() != quickstartWorkspaceDesc || !maps.Equal(workspace.GetLabels(), quickstartWorkspaceLabels) ||
		workspace.GetOrganizationId() != d.OrganizationID {
		t.Errorf("workspace = %v; want name %q, display_name %q, description %q, labels %v, organization_id %q",
			workspace, quickstartWorkspace, quickstartWorkspaceDisplay, quickstartWorkspaceDesc, quickstartWorkspaceLabels, d.OrganizationID)
	}
	project := &rampartv1.Project{}
	strictDecode(t, d.expect(http.StatusOK, http.MethodGet,
		"/v1/workspaces/"+quickstartWorkspace+"/projects/"+quickstartProject, nil), project)
	if project.GetName() != quickstartProject || project.GetWorkspaceId() != workspace.GetId() ||
		project.GetDisplayName() != "" || project.GetDescription() != quickstartProjectDesc ||
		!maps.Equal(project.GetLabels(), quickstartProjectLabels) {
		t.Errorf("project = %v; want name %q in workspace %s, no display_name, description %q, labels %v",
			project, quickstartProject, workspace.GetId(), quickstartProjectDesc, quickstartProjectLabels)
	}
	return workspace, project
}
