package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Two platform teams apply their own configurations to one organization at the same time:
// both applies succeed and both states stay in step with the daemon.
func TestConcurrentAppliesOfDisjointConfigurations(t *testing.T) {
	found := findTools(t)
	d := startDaemon(t, found.rampartd)
	teams := []string{"red", "blue"}
	clis := make([]*cli, len(teams))
	for i, team := range teams {
		clis[i] = newCLI(t, found, d, writeConfig(t, teamEnvironment(team)))
		clis[i].quiet = true
		clis[i].expect(0, "init", "-input=false")
	}

	codes := make([]int, len(teams))
	outputs := make([]string, len(teams))
	var applies sync.WaitGroup
	for i := range teams {
		applies.Add(1)
		go func(i int) {
			defer applies.Done()
			codes[i], outputs[i] = clis[i].run("apply", "-auto-approve", "-input=false")
		}(i)
	}
	applies.Wait()
	for i, team := range teams {
		if codes[i] != 0 {
			t.Fatalf("apply of team %s exited %d:\n%s", team, codes[i], indent(outputs[i]))
		}
		if !strings.Contains(outputs[i], "Apply complete! Resources: 9 added") {
			t.Errorf("apply of team %s: want 9 resources added:\n%s", team, indent(outputs[i]))
		}
	}
	for i := range teams {
		clis[i].expect(0, "plan", "-detailed-exitcode", "-input=false")
	}
	// Each team's grants hold, and neither team reaches the other's workspace.
	checks := []map[string]string{}
	for _, team := range teams {
		for _, other := range teams {
			checks = append(checks, map[string]string{"principal": "user:lead@" + team + ".example.com",
				"permission": "project:update", "resource": "workspaces/" + other + "/projects/models"})
		}
	}
	answer := d.expect(http.StatusOK, http.MethodPost, "/v1/check", map[string]any{"checks": checks})
	var batch struct{ Results []struct{ Allowed bool } }
	if err := json.Unmarshal(answer.body, &batch); err != nil || len(batch.Results) != 4 {
		t.Fatalf("%v: %v", answer, err)
	}
	for i, want := range []bool{true, false, false, true} {
		if batch.Results[i].Allowed != want {
			t.Errorf("%s %s on %s: allowed=%v, want %v", checks[i]["principal"], checks[i]["permission"],
				checks[i]["resource"], batch.Results[i].Allowed, want)
		}
	}
}

// Two configurations racing on one object: the apply whose plan is stale gets a clean 412
// naming the conflict and changes nothing; re-planning shows the other change it would
// override, and the retry applies. Two racing creates of one name: the loser gets a clean
// 409, and importing the winner's object resolves it. Nothing is overwritten unseen.
func TestRacingAppliesOnOneObjectConflictCleanlyAndARetryResolves(t *testing.T) {
	found := findTools(t)
	d := startDaemon(t, found.rampartd)
	d.expect(http.StatusCreated, http.MethodPost, "/v1/workspaces", map[string]any{"name": "shared"})

	first := newCLI(t, found, d, writeConfig(t, sharedWorkspace("set by the first team")))
	second := newCLI(t, found, d, writeConfig(t, sharedWorkspace("set by the second team")))
	for _, tf := range []*cli{first, second} {
		tf.quiet = true
		tf.expect(0, "init", "-input=false")
		tf.expect(0, "plan", "-out=race.tfplan", "-input=false")
	}
	first.expect(0, "apply", "-input=false", "race.tfplan")
	lost := normalize(second.expect(1, "apply", "-input=false", "race.tfplan"))
	for _, want := range []string{"412 precondition_failed", "changed outside Terraform since it was last read",
		"Run plan again"} {
		if !strings.Contains(strings.ToLower(lost), strings.ToLower(want)) {
			t.Errorf("the stale apply's error does not mention %q:\n%s", want, lost)
		}
	}
	if got := d.workspaceDescription("shared"); got != "set by the first team" {
		t.Fatalf("after the stale apply, description = %q, want the first team's", got)
	}
	// The retry plans against what is there now: the first team's value is in the plan.
	replan := normalize(second.expect(2, "plan", "-detailed-exitcode", "-input=false"))
	if !strings.Contains(replan, `"set by the first team" -> "set by the second team"`) {
		t.Errorf("the re-plan does not show the change it overrides:\n%s", replan)
	}
	second.expect(0, "apply", "-auto-approve", "-input=false")
	if got := d.workspaceDescription("shared"); got != "set by the second team" {
		t.Errorf("after the retry, description = %q", got)
	}
	updates := d.expect(http.StatusOK, http.MethodGet, "/v1/audit-events?action=workspace.update", nil)
	if count := strings.Count(string(updates.body), `"action":"workspace.update"`); count != 2 {
		t.Errorf("%d workspace.update audit events, want 2 (one per team):\n%s", count, updates.body)
	}

	// Two creates of one name, planned before either ran.
	creator := newCLI(t, found, d, writeConfig(t, contestedWorkspace(false)))
	loser := newCLI(t, found, d, writeConfig(t, contestedWorkspace(false)))
	for _, tf := range []*cli{creator, loser} {
		tf.quiet = true
		tf.expect(0, "init", "-input=false")
		tf.expect(0, "plan", "-out=create.tfplan", "-input=false")
	}
	creator.expect(0, "apply", "-input=false", "create.tfplan")
	clash := normalize(loser.expect(1, "apply", "-input=false", "create.tfplan"))
	if !strings.Contains(clash, `workspace "contested" already exists in this organization (rampartd answered 409`) {
		t.Errorf("the losing create's error does not say the name is taken:\n%s", clash)
	}
	if err := os.WriteFile(filepath.Join(loser.dir, "main.tf"), []byte(contestedWorkspace(true)), 0o644); err != nil {
		t.Fatal(err)
	}
	loser.expect(0, "apply", "-auto-approve", "-input=false")
	loser.expect(0, "plan", "-detailed-exitcode", "-input=false")
	creator.expect(0, "plan", "-detailed-exitcode", "-input=false")
}

func (d *daemon) workspaceDescription(name string) string {
	d.t.Helper()
	var workspace struct{ Description string }
	if err := json.Unmarshal(d.expect(http.StatusOK, http.MethodGet, "/v1/workspaces/"+name, nil).body, &workspace); err != nil {
		d.t.Fatal(err)
	}
	return workspace.Description
}

const providerBlock = `terraform {
  required_providers {
    rampart = {
      source = "rampart/rampart"
    }
  }
}

provider "rampart" {}
`

// teamEnvironment is one team's workspace, project, people, team and grants: 9 resources.
func teamEnvironment(team string) string {
	return providerBlock + fmt.Sprintf(`
resource "rampart_workspace" "team" {
  name        = %[1]q
  description = "the %[1]s team's work"
}

resource "rampart_project" "models" {
  workspace_id = rampart_workspace.team.id
  name         = "models"
}

resource "rampart_user" "lead" {
  email = "lead@%[1]s.example.com"
}

resource "rampart_user" "engineer" {
  email = "engineer@%[1]s.example.com"
}

resource "rampart_team" "team" {
  name    = "%[1]s-team"
  members = [rampart_user.lead.id, rampart_user.engineer.id]
}

resource "rampart_role_assignment" "workspace" {
  role         = "workspace.viewer"
  team_id      = rampart_team.team.id
  workspace_id = rampart_workspace.team.id
}

resource "rampart_role_assignment" "project" {
  role       = "project.contributor"
  team_id    = rampart_team.team.id
  project_id = rampart_project.models.id
}

resource "rampart_role_assignment" "lead" {
  role       = "project.admin"
  user_id    = rampart_user.lead.id
  project_id = rampart_project.models.id
}

resource "rampart_service_account" "ci" {
  name = "%[1]s-ci"
}
`, team)
}

func sharedWorkspace(description string) string {
	return providerBlock + fmt.Sprintf(`
import {
  to = rampart_workspace.shared
  id = "shared"
}

resource "rampart_workspace" "shared" {
  name        = "shared"
  description = %q
}
`, description)
}

func contestedWorkspace(imported bool) string {
	config := providerBlock + `
resource "rampart_workspace" "contested" {
  name = "contested"
}
`
	if imported {
		config += `
import {
  to = rampart_workspace.contested
  id = "contested"
}
`
	}
	return config
}

func writeConfig(t *testing.T, config string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}
