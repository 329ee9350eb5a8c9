package e2e

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A configuration of 1,005 resources (400 users, 100 teams, 5 workspaces and projects, 500
// role assignments) applied and planned again with the real CLI, next to the same CLI
// applying and planning the same graph of terraform_data resources in the same run. The
// test checks that everything was made and that the second plan is empty; the durations and
// their ratios are printed, not asserted (the machines are shared and noisy).

// scaleConfig is the configuration; with baseline, every resource is a terraform_data of
// the same dependency shape.
func scaleConfig(baseline bool) string {
	config := `terraform {
  required_providers {
    rampart = {
      source = "rampart/rampart"
    }
  }
}

locals {
  users = [for i in range(400) : format("user-%03d", i)]
}

resource "rampart_user" "u" {
  for_each = toset(local.users)
  email    = "${each.key}@example.com"
}

resource "rampart_team" "t" {
  count   = 100
  name    = format("team-%03d", count.index)
  members = [for j in range(4) : rampart_user.u[local.users[count.index * 4 + j]].id]
}

resource "rampart_workspace" "w" {
  name = "scale"
}

resource "rampart_project" "p" {
  count        = 4
  workspace_id = rampart_workspace.w.id
  name         = "project-${count.index}"
}

resource "rampart_role_assignment" "workspace" {
  count        = 100
  role         = "workspace.viewer"
  team_id      = rampart_team.t[count.index].id
  workspace_id = rampart_workspace.w.id
}

resource "rampart_role_assignment" "project" {
  count      = 400
  role       = "project.contributor"
  team_id    = rampart_team.t[count.index % 100].id
  project_id = rampart_project.p[floor(count.index / 100)].id
}
`
	if !baseline {
		return config
	}
	// The same graph of terraform_data: each resource's arguments become its input.
	replacer := strings.NewReplacer(
		`resource "rampart_user" "u" {
  for_each = toset(local.users)
  email    = "${each.key}@example.com"
}`, `resource "terraform_data" "u" {
  for_each = toset(local.users)
  input    = "${each.key}@example.com"
}`,
		`  name    = format("team-%03d", count.index)
  members = [for j in range(4) : rampart_user.u[local.users[count.index * 4 + j]].id]`,
		`  input = [format("team-%03d", count.index), [for j in range(4) : terraform_data.u[local.users[count.index * 4 + j]].id]]`,
		`  name = "scale"`, `  input = "scale"`,
		`  workspace_id = rampart_workspace.w.id
  name         = "project-${count.index}"`, `  input = [terraform_data.w.id, "project-${count.index}"]`,
		`  role         = "workspace.viewer"
  team_id      = rampart_team.t[count.index].id
  workspace_id = rampart_workspace.w.id`, `  input = ["workspace.viewer", terraform_data.t[count.index].id, terraform_data.w.id]`,
		`  role       = "project.contributor"
  team_id    = rampart_team.t[count.index % 100].id
  project_id = rampart_project.p[floor(count.index / 100)].id`,
		`  input = ["project.contributor", terraform_data.t[count.index % 100].id, terraform_data.p[floor(count.index / 100)].id]`,
		`resource "rampart_team" "t"`, `resource "terraform_data" "t"`,
		`resource "rampart_workspace" "w"`, `resource "terraform_data" "w"`,
		`resource "rampart_project" "p"`, `resource "terraform_data" "p"`,
		`resource "rampart_role_assignment" "workspace"`, `resource "terraform_data" "workspace"`,
		`resource "rampart_role_assignment" "project"`, `resource "terraform_data" "project"`,
	)
	converted := replacer.Replace(config)
	if strings.Contains(converted[strings.Index(converted, "locals"):], "rampart_") {
		panic("scaleConfig: a rampart resource was left in the baseline:\n" + converted)
	}
	return converted
}

// applyAndPlan applies config in a fresh directory and plans again (which must be empty),
// returning both durations.
func applyAndPlan(t *testing.T, found tools, d *daemon, config string) (time.Duration, time.Duration) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	tf := newCLI(t, found, d, dir)
	tf.quiet = true
	tf.expect(0, "init", "-input=false")
	started := time.Now()
	output := tf.expect(0, "apply", "-auto-approve", "-input=false")
	applied := time.Since(started)
	if !strings.Contains(output, "Apply complete! Resources: 1005 added") {
		t.Fatalf("apply did not add 1005 resources:\n%s", output[max(0, len(output)-2000):])
	}
	started = time.Now()
	tf.expect(0, "plan", "-detailed-exitcode", "-input=false")
	return applied, time.Since(started)
}

func TestScale_ThousandResourcesApplyAndPlanNextToTerraformData(t *testing.T) {
	found := findTools(t)
	d := startDaemon(t, found.rampartd)

	baselineApply, baselinePlan := applyAndPlan(t, found, d, scaleConfig(true))
	rampartApply, rampartPlan := applyAndPlan(t, found, d, scaleConfig(false))

	// Everything is there.
	for path, want := range map[string]int{"/v1/users": 400, "/v1/teams": 100, "/v1/role_assignments": 501} {
		if got := len(names(t, d, d.Token, path+"?page_size=1000")); got != want {
			t.Errorf("%s holds %d objects, want %d", path, got, want)
		}
	}
	d.expect(http.StatusOK, http.MethodGet, "/v1/workspaces/scale/projects/project-3", nil)

	report := fmt.Sprintf("scale: 1005 resources with %s\n"+
		"  %-14s %10s %10s\n  %-14s %10s %10s\n  %-14s %10s %10s\n  %-14s %10.2f %10.2f   (target: at most 1.5)\n",
		filepath.Base(found.cli),
		"", "apply", "no-op plan",
		"terraform_data", baselineApply.Round(time.Millisecond), baselinePlan.Round(time.Millisecond),
		"rampart", rampartApply.Round(time.Millisecond), rampartPlan.Round(time.Millisecond),
		"ratio", rampartApply.Seconds()/baselineApply.Seconds(), rampartPlan.Seconds()/baselinePlan.Seconds())
	t.Log("\n" + report)
	fmt.Print(report)
}
