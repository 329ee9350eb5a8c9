package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"testing"
)

// The three scenarios of SPEC section 9, applied from terraform-examples/ with the real
// CLI: each example is applied, its access matrix asserted through POST /v1/check, planned
// again (no changes), destroyed, and the organization found empty.

// question is one access check and the answer the scenario demands.
type question struct {
	principal, permission, resource string
	allowed                         bool
}

func allow(principal, permission, resource string) question {
	return question{principal, permission, resource, true}
}

func deny(principal, permission, resource string) question {
	return question{principal, permission, resource, false}
}

// applyExample applies terraform-examples/<name> against a fresh daemon, asserts that a
// second plan is empty, and returns the daemon and the CLI (for more steps and destroy).
func applyExample(t *testing.T, name string) (*daemon, *cli) {
	t.Helper()
	found := findTools(t)
	d := startDaemon(t, found.rampartd)
	workDir := t.TempDir()
	if err := copyTree(filepath.Join(found.repoRoot, "terraform-examples", name), workDir); err != nil {
		t.Fatalf("copying the %s example: %v", name, err)
	}
	tf := newCLI(t, found, d, workDir)
	tf.expect(0, "init", "-input=false")
	tf.expect(0, "apply", "-auto-approve", "-input=false")
	t.Log("a second plan after apply is empty")
	tf.expect(0, "plan", "-detailed-exitcode", "-input=false")
	return d, tf
}

// expectAnswers asks every question in one batch (with headers, in name, value pairs) and
// reports each wrong answer.
func expectAnswers(t *testing.T, d *daemon, questions []question, headers ...string) {
	t.Helper()
	checks := make([]map[string]string, 0, len(questions))
	for _, q := range questions {
		checks = append(checks, map[string]string{"principal": q.principal, "permission": q.permission, "resource": q.resource})
	}
	answer := d.expect(http.StatusOK, http.MethodPost, "/v1/check", map[string]any{"checks": checks}, headers...)
	var batch struct {
		Results []struct {
			Allowed bool   `json:"allowed"`
			Reason  string `json:"reason"`
		} `json:"results"`
	}
	if err := json.Unmarshal(answer.body, &batch); err != nil || len(batch.Results) != len(questions) {
		t.Fatalf("%v: %v, want %d results", answer, err, len(questions))
	}
	for i, q := range questions {
		if batch.Results[i].Allowed != q.allowed {
			t.Errorf("%s %s on %s: allowed=%v, want %v (%s)", q.principal, q.permission, q.resource,
				batch.Results[i].Allowed, q.allowed, batch.Results[i].Reason)
		}
	}
	t.Logf("%d access checks answered as the scenario demands", len(questions))
}

// userToken makes an API key for a user (as the admin) and returns its token.
func userToken(t *testing.T, d *daemon, email string) string {
	t.Helper()
	var key struct {
		Token string `json:"token"`
	}
	answer := d.expect(http.StatusCreated, http.MethodPost, "/v1/users/"+email+"/keys", map[string]any{})
	if err := json.Unmarshal(answer.body, &key); err != nil || key.Token == "" {
		t.Fatalf("%v: no token", answer)
	}
	return key.Token
}

// names lists the "name" (or "email") of every item a list answers with token.
func names(t *testing.T, d *daemon, token, path string) []string {
	t.Helper()
	answer := d.callWithToken(token, http.MethodGet, path, nil)
	if answer.status != http.StatusOK {
		t.Fatalf("%v; want 200", answer)
	}
	var list struct {
		Items []map[string]any `json:"items"`
	}
	if err := json.Unmarshal(answer.body, &list); err != nil {
		t.Fatalf("%v: %v", answer, err)
	}
	var out []string
	for _, item := range list.Items {
		switch {
		case item["builtin"] == true:
		case item["email"] != nil:
			out = append(out, fmt.Sprint(item["email"]))
		case item["name"] != nil:
			out = append(out, fmt.Sprint(item["name"]))
		default:
			out = append(out, fmt.Sprint(item["id"]))
		}
	}
	slices.Sort(out)
	return out
}

// destroyLeavesNothing destroys the example and checks that the organization holds
// nothing but its bootstrap admin key's assignment.
func destroyLeavesNothing(t *testing.T, d *daemon, tf *cli) {
	t.Helper()
	tf.expect(0, "destroy", "-auto-approve", "-input=false")
	for _, collection := range []string{"workspaces", "users", "service_accounts", "teams", "roles"} {
		if left := names(t, d, d.Token, "/v1/"+collection+"?page_size=1000"); len(left) != 0 {
			t.Errorf("after destroy, %s still holds %v", collection, left)
		}
	}
	if left := names(t, d, d.Token, "/v1/role_assignments?page_size=1000"); len(left) != 1 {
		t.Errorf("after destroy, role assignments %v; want only the bootstrap key's", left)
	}
}

// whoCan lists the emails of the users who may do permission on resource.
func whoCan(t *testing.T, d *daemon, permission, resource string) []string {
	t.Helper()
	answer := d.expect(http.StatusOK, http.MethodGet,
		"/v1/who-can?permission="+url.QueryEscape(permission)+"&resource="+url.QueryEscape(resource), nil)
	var rows struct {
		Items []struct {
			PrincipalType string `json:"principal_type"`
			PrincipalName string `json:"principal_name"`
		} `json:"items"`
	}
	if err := json.Unmarshal(answer.body, &rows); err != nil {
		t.Fatalf("%v: %v", answer, err)
	}
	var users []string
	for _, row := range rows.Items {
		if row.PrincipalType == "user" && !slices.Contains(users, row.PrincipalName) {
			users = append(users, row.PrincipalName)
		}
	}
	slices.Sort(users)
	return users
}

// teamAlphaMatrix is every cell of the Team Alpha access matrix (SPEC section 9), as an
// allowed and a denied check.
func teamAlphaMatrix() []question {
	const (
		w    = "workspaces/alpha-workspace"
		p    = w + "/projects/recommendation-engine"
		dev  = w + "/stacks/development"
		prod = w + "/stacks/production"
		org  = "organization"
		// One member of each team.
		developer = "user:dana@example.com"
		engineer  = "user:farah@example.com"
		ops       = "user:gus@example.com"
	)
	return []question{
		// developers: workspace member, project contributor, dev write, prod read.
		allow(developer, "workspace:read", w), deny(developer, "workspace:update", w),
		allow(developer, "pipeline:run", p), allow(developer, "pipeline:create", p),
		deny(developer, "project:update", p), deny(developer, "role_assignment:create", p),
		allow(developer, "stack:use", dev), allow(developer, "stack:update", dev), deny(developer, "stack:delete", dev),
		allow(developer, "stack:read", prod), deny(developer, "stack:use", prod),
		// ml-engineers: workspace member, project admin, dev write, prod read.
		allow(engineer, "workspace:read", w), deny(engineer, "workspace:update", w),
		allow(engineer, "project:update", p), allow(engineer, "role_assignment:create", p),
		deny(engineer, "project:create", w),
		allow(engineer, "stack:use", dev), deny(engineer, "stack:delete", dev),
		allow(engineer, "stack:read", prod), deny(engineer, "stack:use", prod),
		// ml-ops: admin everywhere in the workspace, nothing above it.
		allow(ops, "workspace:update", w), deny(ops, "organization:update", org),
		allow(ops, "project:update", p), deny(ops, "role:create", org),
		allow(ops, "stack:delete", dev), allow(ops, "role_assignment:create", dev),
		allow(ops, "stack:delete", prod), allow(ops, "role_assignment:create", prod), deny(ops, "workspace:create", org),
		// Teams answer like their members.
		allow("team:developers", "stack:use", dev), deny("team:developers", "stack:use", prod),
	}
}

func TestExampleTeamAlpha(t *testing.T) {
	d, tf := applyExample(t, "team-alpha")
	const (
		w         = "workspaces/alpha-workspace"
		p         = w + "/projects/recommendation-engine"
		dev       = w + "/stacks/development"
		prod      = w + "/stacks/production"
		developer = "user:dana@example.com"
	)
	t.Log("every cell of the matrix, as an allowed and a denied check")
	expectAnswers(t, d, teamAlphaMatrix())

	t.Log("only ml-ops may delete or grant on the production stack")
	for _, permission := range []string{"stack:delete", "role_assignment:create"} {
		if got := whoCan(t, d, permission, prod); !slices.Equal(got, []string{"gus@example.com"}) {
			t.Errorf("who may %s on production: %v, want only gus@example.com (ml-ops)", permission, got)
		}
	}

	t.Log("a developer cannot grant itself anything")
	token := userToken(t, d, "dana@example.com")
	var stacks, projects struct {
		ID string `json:"id"`
	}
	json.Unmarshal(d.expect(http.StatusOK, http.MethodGet, "/v1/"+prod, nil).body, &stacks)
	json.Unmarshal(d.expect(http.StatusOK, http.MethodGet, "/v1/"+p, nil).body, &projects)
	for _, grant := range []map[string]any{
		{"role": "stack.admin", "user_id": "dana@example.com", "stack_id": stacks.ID},
		{"role": "project.viewer", "user_id": "dana@example.com", "project_id": projects.ID},
		{"role": "workspace.admin", "user_id": "dana@example.com", "workspace_id": "alpha-workspace"},
	} {
		if answer := d.callWithToken(token, http.MethodPost, "/v1/role_assignments", grant); answer.status != http.StatusForbidden {
			t.Errorf("developer granting itself %v: %v, want 403", grant, answer)
		}
	}
	if answer := d.callWithToken(token, http.MethodPut, "/v1/teams/ml-ops/members/user:dana@example.com", nil); answer.status != http.StatusForbidden {
		t.Errorf("developer joining ml-ops: %v, want 403", answer)
	}
	expectAnswers(t, d, []question{deny(developer, "stack:use", prod), deny(developer, "stack:delete", dev)})

	t.Log("five components, two stacks, two bindings with their quotas")
	if got := names(t, d, d.Token, "/v1/"+w+"/components"); len(got) != 5 {
		t.Errorf("components %v, want 5", got)
	}
	var binding struct {
		Quota map[string]any `json:"quota"`
	}
	json.Unmarshal(d.expect(http.StatusOK, http.MethodGet, "/v1/"+p+"/stacks/production", nil).body, &binding)
	if fmt.Sprint(binding.Quota) != "map[cpu:64 gpu:8 max_parallel_runs:4 memory:256Gi]" {
		t.Errorf("production quota %v", binding.Quota)
	}

	destroyLeavesNothing(t, d, tf)
}

func TestExampleThreeTeams(t *testing.T) {
	d, tf := applyExample(t, "three-teams")
	const w = "workspaces/ml-platform"
	members := map[string][]string{
		"alpha": {"ana@example.com", "abe@example.com"},
		"beta":  {"ben@example.com", "bea@example.com"},
		"gamma": {"gia@example.com"},
	}
	var questions []question
	for team, emails := range members {
		for _, email := range emails {
			user := "user:" + email
			for other := range members {
				project := w + "/projects/" + other + "-models"
				development, production := w+"/stacks/"+other+"-development", w+"/stacks/"+other+"-production"
				if other == team {
					questions = append(questions,
						allow(user, "project:read", project), allow(user, "pipeline:run", project),
						allow(user, "stack:use", development), allow(user, "stack:read", production),
						deny(user, "stack:use", production), deny(user, "stack:delete", development))
					continue
				}
				questions = append(questions,
					deny(user, "project:read", project), deny(user, "pipeline:run", project),
					deny(user, "stack:read", development), deny(user, "stack:read", production))
			}
		}
	}
	questions = append(questions,
		allow("user:ana@example.com", "role_assignment:create", w+"/projects/alpha-models"),
		deny("user:abe@example.com", "role_assignment:create", w+"/projects/alpha-models"))
	expectAnswers(t, d, questions)

	t.Log("a member of one team lists only its own project and stacks")
	for team, emails := range members {
		token := userToken(t, d, emails[0])
		if got := names(t, d, token, "/v1/"+w+"/projects"); !slices.Equal(got, []string{team + "-models"}) {
			t.Errorf("%s lists projects %v", emails[0], got)
		}
		if got := names(t, d, token, "/v1/"+w+"/stacks"); !slices.Equal(got, []string{team + "-development", team + "-production"}) {
			t.Errorf("%s lists stacks %v", emails[0], got)
		}
		for other := range members {
			if other == team {
				continue
			}
			if answer := d.callWithToken(token, http.MethodGet, "/v1/"+w+"/projects/"+other+"-models", nil); answer.status != http.StatusForbidden {
				t.Errorf("%s reading %s's project: %v, want 403", emails[0], other, answer)
			}
		}
	}

	destroyLeavesNothing(t, d, tf)
}

func TestExampleTwoWorkspaces(t *testing.T) {
	d, tf := applyExample(t, "two-workspaces")
	const (
		staging    = "workspaces/dev-staging"
		production = "workspaces/production"
		scientist  = "user:sam@example.com"
		engineer   = "user:max@example.com"
		admin      = "user:pat@example.com"
	)
	expectAnswers(t, d, []question{
		allow(scientist, "pipeline:run", staging+"/projects/fraud-detection"),
		allow(scientist, "model:promote:staging", staging+"/projects/fraud-detection"),
		deny(scientist, "model:promote:production", staging+"/projects/fraud-detection"),
		deny(scientist, "pipeline:run", production+"/projects/fraud-detection"),
		deny(scientist, "stack:read", production+"/stacks/default"),
		allow(engineer, "model:promote:production", production+"/projects/fraud-detection"),
		allow(engineer, "model:promote:staging", production+"/projects/fraud-detection"), // inherited
		allow(engineer, "pipeline:run", staging+"/projects/fraud-detection"),
		deny(engineer, "stack:delete", production+"/stacks/default"),
		deny(engineer, "role_assignment:create", production),
		allow(admin, "stack:delete", production+"/stacks/default"),
		allow(admin, "organization:update", "organization"),
	})
	if got := names(t, d, d.Token, "/v1/roles?page_size=1000"); !slices.Equal(got, []string{"data-scientist", "ml-engineer", "platform-admin"}) {
		t.Errorf("custom roles %v", got)
	}
	destroyLeavesNothing(t, d, tf)
}
