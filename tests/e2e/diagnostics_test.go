package e2e

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rampart-dev/rampart/provider-shim/api/rampartv1"
)

// TestDaemonErrorShowsOnAttribute checks that a rule only the daemon can enforce (a
// project name already taken in the workspace) reaches the user as the daemon's own
// message, attached to the offending line of configuration.
func TestDaemonErrorShowsOnAttribute(t *testing.T) {
	found := findTools(t)
	d := startDaemon(t, found.rampartd)

	workspace := &rampartv1.Workspace{}
	strictDecode(t, d.expect(http.StatusCreated, http.MethodPost, "/v1/workspaces", map[string]any{"name": "taken"}), workspace)
	d.expect(http.StatusCreated, http.MethodPost, "/v1/workspaces/taken/projects", map[string]any{"name": "taken-name"})
	// The same request again gives the message Terraform should show.
	duplicate := d.call(http.MethodPost, "/v1/workspaces/taken/projects", map[string]any{"name": "taken-name"})
	daemonError := &rampartv1.Error{}
	strictDecode(t, duplicate, daemonError)
	if duplicate.status != http.StatusConflict || daemonError.GetDetails().GetField() != "name" || daemonError.GetMessage() == "" {
		t.Fatalf("%v; want 409 already_exists on field name", duplicate)
	}

	workDir := t.TempDir()
	config := fmt.Sprintf(`terraform {
  required_providers {
    rampart = {
      source = "rampart/rampart"
    }
  }
}

provider "rampart" {}

resource "rampart_project" "duplicate" {
  workspace_id = %q
  name         = "taken-name"
}
`, workspace.GetId())
	if err := os.WriteFile(filepath.Join(workDir, "main.tf"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	tf := newCLI(t, found, d, workDir)
	tf.expect(0, "init", "-input=false")
	output := normalize(tf.expect(1, "apply", "-auto-approve", "-input=false"))

	for _, want := range []string{
		"Error: Could not create project",
		"with rampart_project.duplicate",
		`name = "taken-name"`,
		normalize(daemonError.GetMessage()),
	} {
		if !strings.Contains(output, want) {
			t.Errorf("apply output does not contain %q", want)
		}
	}
	// The attribute line must be the one the diagnostic points at, right after "with".
	if !strings.Contains(output, `in resource "rampart_project" "duplicate": 13: name = "taken-name"`) {
		t.Errorf("the diagnostic does not point at the name attribute (line 13)")
	}
}
