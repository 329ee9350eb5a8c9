package e2e

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Issue 6, acceptance 3: an installation made by hand (here: by applying team-alpha from
// another directory) is brought under Terraform with `rampartd export-state`: the
// written configuration imports every object and then plans no change. A change made
// afterwards through the API is what `export-state --compare` reports.
// runExportState runs `rampartd export-state` on d's data dir for the e2e organization.
func runExportState(t *testing.T, found tools, d *daemon, args ...string) (int, string) {
	t.Helper()
	command := exec.Command(found.rampartd, append([]string{"export-state", "--data-dir", d.DataDir,
		"--organization", "e2e"}, args...)...)
	output, err := command.CombinedOutput()
	if exitError, ok := err.(*exec.ExitError); ok {
		return exitError.ExitCode(), string(output)
	} else if err != nil {
		t.Fatalf("rampartd export-state: %v", err)
	}
	return 0, string(output)
}

// The two-workspaces example's promotion policies (lists, sets, nested windows) survive the
// round trip: exported, imported, and planned again with no change.
func TestExportStateOfPromotionPoliciesImportsWithAnEmptyPlan(t *testing.T) {
	d, _ := applyExample(t, "two-workspaces")
	found := findTools(t)
	d.expect(http.StatusCreated, http.MethodPost, "/v1/promotion_policies", map[string]any{
		"workspace_id": "production", "stage": "archived", "approval_required": true,
		"approval_types": []string{"compliance"}, "required_tags": []string{"retired"},
		"blocked_windows": []map[string]any{{"days": []string{"fri"}, "start": "22:00", "end": "06:00",
			"time_zone": "Europe/Berlin"}},
	})
	outDir := filepath.Join(t.TempDir(), "exported")
	if code, output := runExportState(t, found, d, "--out", outDir); code != 0 {
		t.Fatalf("export-state --out exited %d:\n%s", code, output)
	}
	resources, err := os.ReadFile(filepath.Join(outDir, "resources.tf"))
	if err != nil || !strings.Contains(string(resources), `resource "rampart_promotion_policy"`) {
		t.Fatalf("the export holds no promotion policy (%v):\n%s", err, resources)
	}
	tf := newCLI(t, found, d, outDir)
	tf.expect(0, "init", "-input=false")
	applied := tf.expect(0, "apply", "-auto-approve", "-input=false")
	if !strings.Contains(applied, "0 added, 0 changed, 0 destroyed") {
		t.Errorf("applying the export should only import:\n%s", indent(applied))
	}
	tf.expect(0, "plan", "-detailed-exitcode", "-input=false")
}

func TestExportStateImportsWithAnEmptyPlanAndCompareSeesLaterChanges(t *testing.T) {
	d, _ := applyExample(t, "team-alpha")
	found := findTools(t)
	exportState := func(args ...string) (int, string) { return runExportState(t, found, d, args...) }

	outDir := filepath.Join(t.TempDir(), "exported")
	code, output := exportState("--out", outDir)
	if code != 0 {
		t.Fatalf("export-state --out exited %d:\n%s", code, output)
	}
	t.Logf("export-state: %s", strings.TrimSpace(output))
	for _, name := range []string{"main.tf", "imports.tf", "resources.tf"} {
		if _, err := os.Stat(filepath.Join(outDir, name)); err != nil {
			t.Fatalf("export-state wrote no %s: %v", name, err)
		}
	}

	tf := newCLI(t, found, d, outDir)
	tf.expect(0, "init", "-input=false")
	applied := tf.expect(0, "apply", "-auto-approve", "-input=false")
	// team-alpha has 30 resources; the organization's settings are the 31st object.
	if !strings.Contains(applied, "31 imported, 0 added, 0 changed, 0 destroyed") {
		t.Errorf("applying the export should import 31 objects and change nothing:\n%s", indent(applied))
	}
	t.Log("the plan after importing the export is empty")
	tf.expect(0, "plan", "-detailed-exitcode", "-input=false")

	statePath := filepath.Join(outDir, "terraform.tfstate")
	if code, output := exportState("--compare", statePath); code != 0 {
		t.Fatalf("--compare right after the import exited %d, want 0 (no differences):\n%s", code, output)
	}

	d.expect(http.StatusOK, http.MethodPatch, "/v1/workspaces/alpha-workspace",
		map[string]any{"description": "edited by hand"})
	d.expect(http.StatusCreated, http.MethodPost, "/v1/users", map[string]any{"email": "zoe@example.com"})
	code, output = exportState("--compare", statePath)
	if code != 1 {
		t.Fatalf("--compare after changes through the API exited %d, want 1:\n%s", code, output)
	}
	for _, want := range []string{
		`differs: rampart_workspace.alpha_workspace = workspaces/alpha-workspace`,
		`description is "edited by hand" in rampartd, "Team Alpha's recommendation work." in the state`,
		`not in the state: rampart_user.zoe_example_com = users/zoe@example.com`,
		`2 differences`,
	} {
		if !strings.Contains(output, want) {
			t.Errorf("--compare output lacks %q:\n%s", want, output)
		}
	}
}
