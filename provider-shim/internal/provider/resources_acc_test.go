package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	testresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/rampart-dev/rampart/provider-shim/internal/client"
)

// Acceptance tests of every resource served by the generic object resource (see
// lifecycle). Workspaces and projects have their own, older tests.

// patchOutside changes fields of the object at path, as someone outside Terraform would.
func patchOutside(ctx context.Context, c *client.Client, fields client.Object, path ...string) error {
	_, err := c.DoJSON(ctx, http.MethodPatch, append([]string{"v1"}, path...), fields, 0)
	return err
}

func TestAccUser_lifecycle(t *testing.T) {
	email := randomName("dana") + "@example.com"
	config := func(body string) string {
		return fmt.Sprintf(`resource "rampart_user" "test" {
  email = %q
%s
}
`, email, body)
	}
	lifecycle{
		address: "rampart_user.test",
		create:  config(`  display_name = "Dana"`),
		update:  config(`  display_name = "Dana S."` + "\n" + `  labels = { team = "alpha" }` + "\n" + `  active = false`),
		forms:   3,
		importIDs: func(s *terraform.InstanceState) []string {
			return []string{s.ID, "users/" + email, email}
		},
		drift: func(ctx context.Context, c *client.Client, s *terraform.InstanceState) error {
			return patchOutside(ctx, c, client.Object{"active": true}, "users", s.ID)
		},
		item: func(s *terraform.InstanceState) []string { return []string{"v1", "users", s.ID} },
	}.run(t)
}

func TestAccServiceAccount_lifecycle(t *testing.T) {
	name := randomName("ci")
	config := func(description string) string {
		return fmt.Sprintf(`resource "rampart_service_account" "test" {
  name        = %q
  description = %q
}
`, name, description)
	}
	lifecycle{
		address: "rampart_service_account.test",
		create:  config("runs CI"),
		update:  config("runs CI and releases"),
		forms:   3,
		importIDs: func(s *terraform.InstanceState) []string {
			return []string{s.ID, "service_accounts/" + name, name}
		},
		drift: func(ctx context.Context, c *client.Client, s *terraform.InstanceState) error {
			return patchOutside(ctx, c, client.Object{"description": "changed by hand"}, "service_accounts", s.ID)
		},
		item: func(s *terraform.InstanceState) []string { return []string{"v1", "service_accounts", s.ID} },
	}.run(t)
}

func TestAccServiceAccountKey_lifecycle(t *testing.T) {
	config := func(description string) string {
		return fmt.Sprintf(`resource "rampart_service_account" "ci" {
  name = %q
}

resource "rampart_service_account_key" "test" {
  service_account_id = rampart_service_account.ci.id
  description        = %q
  expires_at         = "2099-01-01T00:00:00Z"
}
`, randomName("ci"), description)
	}
	first := config("first")
	lifecycle{
		address: "rampart_service_account_key.test",
		create:  first,
		// Keys cannot change: a new description makes a new key.
		replace: strings.Replace(first, `"first"`, `"second"`, 1),
		forms:   2,
		importIDs: func(s *terraform.InstanceState) []string {
			return []string{s.ID, "api_keys/" + s.ID}
		},
		importIgnore: []string{"secret"},
		checks: []testresource.TestCheckFunc{func(s *terraform.State) error {
			// The secret authenticates as the service account.
			key := s.RootModule().Resources["rampart_service_account_key.test"].Primary
			secret := key.Attributes["secret"]
			if !strings.HasPrefix(secret, "rmp_key_") {
				return fmt.Errorf("secret %q is not a token", secret)
			}
			asKey, err := client.New(os.Getenv(EnvEndpoint), secret)
			if err != nil {
				return err
			}
			// The account holds no role: authenticated (not 401), then denied (403).
			_, err = asKey.DoJSON(context.Background(), http.MethodGet, []string{"v1", "organization"}, nil, 0)
			var apiErr *client.APIError
			if !errors.As(err, &apiErr) || apiErr.Status != http.StatusForbidden {
				return fmt.Errorf("a request with the secret answered %v, want 403 (authenticated, not authorized)", err)
			}
			return nil
		}},
		item: func(s *terraform.InstanceState) []string { return []string{"v1", "api_keys", s.ID} },
	}.run(t)
}

func TestAccTeam_lifecycle(t *testing.T) {
	name := randomName("team")
	users := fmt.Sprintf(`resource "rampart_user" "a" {
  email = %q
}

resource "rampart_user" "b" {
  email = %q
}
`, randomName("a")+"@example.com", randomName("b")+"@example.com")
	lifecycle{
		address: "rampart_team.test",
		create: users + fmt.Sprintf(`resource "rampart_team" "test" {
  name    = %q
  members = [rampart_user.a.id]
}
`, name),
		update: users + fmt.Sprintf(`resource "rampart_team" "test" {
  name       = %q
  members    = [rampart_user.b.id, rampart_user.a.id]
  idp_groups = ["okta-ml"]
}
`, name),
		forms: 3,
		importIDs: func(s *terraform.InstanceState) []string {
			return []string{s.ID, "teams/" + name, name}
		},
		drift: func(ctx context.Context, c *client.Client, s *terraform.InstanceState) error {
			return patchOutside(ctx, c, client.Object{"members": []string{}}, "teams", s.ID)
		},
		item: func(s *terraform.InstanceState) []string { return []string{"v1", "teams", s.ID} },
	}.run(t)
}

// workspaceConfig declares rampart_workspace.w with a random name.
func workspaceConfig() (string, string) {
	name := randomName("ws")
	return name, fmt.Sprintf(`resource "rampart_workspace" "w" {
  name = %q
}
`, name)
}

func TestAccStackComponent_lifecycle(t *testing.T) {
	workspace, prelude := workspaceConfig()
	config := func(kind, flavor, configuration string) string {
		return prelude + fmt.Sprintf(`resource "rampart_stack_component" "test" {
  workspace_id  = rampart_workspace.w.id
  name          = "artifacts"
  type          = %q
  flavor        = %q
  configuration = %s
}
`, kind, flavor, configuration)
	}
	lifecycle{
		address: "rampart_stack_component.test",
		create:  config("artifact_store", "s3", `jsonencode({ path = "s3://a/b", versioned = true })`),
		// Formatting and key order are not changes; the flavor and the values are.
		update:  config("artifact_store", "gcs", `"{ \"versioned\": true,  \"path\": \"gs://a/b\" }"`),
		replace: config("model_registry", "gcs", `jsonencode({ path = "gs://a/b", versioned = true })`),
		forms:   2,
		importIDs: func(s *terraform.InstanceState) []string {
			return []string{s.ID, "workspaces/" + workspace + "/components/artifacts"}
		},
		drift: func(ctx context.Context, c *client.Client, s *terraform.InstanceState) error {
			return patchOutside(ctx, c, client.Object{"configuration": client.Object{"path": "gs://elsewhere"}},
				"workspaces", attribute(s, "workspace_id"), "components", s.ID)
		},
		item: func(s *terraform.InstanceState) []string {
			return []string{"v1", "workspaces", attribute(s, "workspace_id"), "components", s.ID}
		},
	}.run(t)
}

func TestAccStack_lifecycle(t *testing.T) {
	workspace, prelude := workspaceConfig()
	prelude += `resource "rampart_stack_component" "s3" {
  workspace_id = rampart_workspace.w.id
  name         = "s3"
  type         = "artifact_store"
  flavor       = "s3"
}

resource "rampart_stack_component" "k8s" {
  workspace_id = rampart_workspace.w.id
  name         = "k8s"
  type         = "orchestrator"
  flavor       = "kubernetes"
}
`
	config := func(name, components string) string {
		return prelude + fmt.Sprintf(`resource "rampart_stack" "test" {
  workspace_id = rampart_workspace.w.id
  name         = %q
  components   = %s
}
`, name, components)
	}
	lifecycle{
		address: "rampart_stack.test",
		create:  config("production", `{ artifact_store = rampart_stack_component.s3.id }`),
		update: config("production", `{
    artifact_store = rampart_stack_component.s3.id
    orchestrator   = rampart_stack_component.k8s.id
  }`),
		forms: 2,
		importIDs: func(s *terraform.InstanceState) []string {
			return []string{s.ID, "workspaces/" + workspace + "/stacks/production"}
		},
		drift: func(ctx context.Context, c *client.Client, s *terraform.InstanceState) error {
			return patchOutside(ctx, c, client.Object{"components": client.Object{}},
				"workspaces", attribute(s, "workspace_id"), "stacks", s.ID)
		},
		item: func(s *terraform.InstanceState) []string {
			return []string{"v1", "workspaces", attribute(s, "workspace_id"), "stacks", s.ID}
		},
	}.run(t)
}

func TestAccProjectStack_lifecycle(t *testing.T) {
	workspace, prelude := workspaceConfig()
	prelude += `resource "rampart_project" "p" {
  workspace_id = rampart_workspace.w.id
  name         = "recsys"
}

resource "rampart_stack" "dev" {
  workspace_id = rampart_workspace.w.id
  name         = "dev"
}

resource "rampart_stack" "prod" {
  workspace_id = rampart_workspace.w.id
  name         = "prod"
}
`
	config := func(stack, body string) string {
		return prelude + fmt.Sprintf(`resource "rampart_project_stack" "test" {
  project_id = rampart_project.p.id
  stack_id   = rampart_stack.%s.id
%s
}
`, stack, body)
	}
	lifecycle{
		address: "rampart_project_stack.test",
		create:  config("dev", `  quota = { cpu = "8" }`),
		update:  config("dev", `  quota = { cpu = "16", gpu = 2, max_parallel_runs = 3 }`+"\n"+`  execution_labels = { namespace = "recsys" }`),
		replace: config("prod", `  quota = { cpu = "16", gpu = 2, max_parallel_runs = 3 }`+"\n"+`  execution_labels = { namespace = "recsys" }`),
		forms:   2,
		importIDs: func(s *terraform.InstanceState) []string {
			return []string{s.ID, "workspaces/" + workspace + "/projects/recsys/stacks/prod"}
		},
		drift: func(ctx context.Context, c *client.Client, s *terraform.InstanceState) error {
			return patchOutside(ctx, c, client.Object{"quota": client.Object{"gpu": 64}},
				"workspaces", attribute(s, "workspace_id"), "projects", attribute(s, "project_id"), "stacks", attribute(s, "stack_id"))
		},
		item: func(s *terraform.InstanceState) []string {
			return []string{"v1", "workspaces", attribute(s, "workspace_id"), "projects", attribute(s, "project_id"),
				"stacks", attribute(s, "stack_id")}
		},
	}.run(t)
}

func TestAccRole_lifecycle(t *testing.T) {
	name := randomName("scientist")
	lifecycle{
		address: "rampart_role.test",
		create: fmt.Sprintf(`resource "rampart_role" "test" {
  name        = %q
  permissions = ["pipeline:run"]
}
`, name),
		update: fmt.Sprintf(`resource "rampart_role" "test" {
  name          = %q
  description   = "Runs pipelines and reads models."
  permissions   = ["pipeline:run", "model:read", "model:promote:*"]
  inherits      = ["stack.read"]
  assignable_at = ["project", "stack"]
}
`, name),
		forms: 3,
		importIDs: func(s *terraform.InstanceState) []string {
			return []string{s.ID, "roles/" + name, name}
		},
		drift: func(ctx context.Context, c *client.Client, s *terraform.InstanceState) error {
			return patchOutside(ctx, c, client.Object{"permissions": []string{"pipeline:run"}}, "roles", s.ID)
		},
		item: func(s *terraform.InstanceState) []string { return []string{"v1", "roles", s.ID} },
	}.run(t)
}

func TestAccRoleAssignment_lifecycle(t *testing.T) {
	_, prelude := workspaceConfig()
	role := randomName("reader")
	prelude += fmt.Sprintf(`resource "rampart_user" "u" {
  email = %q
}

resource "rampart_role" "reader" {
  name        = %q
  permissions = ["workspace:read", "project:read"]
}
`, randomName("u")+"@example.com", role)
	config := func(role, body string) string {
		return prelude + fmt.Sprintf(`resource "rampart_role_assignment" "test" {
  role         = %s
  user_id      = rampart_user.u.id
  workspace_id = rampart_workspace.w.id
%s
}
`, role, body)
	}
	lifecycle{
		address: "rampart_role_assignment.test",
		create:  config(`"workspace.viewer"`, `  reason = "JIRA-1"`),
		update:  config(`"workspace.viewer"`, `  reason = "JIRA-2"`+"\n"+`  expires_at = "2099-01-01T00:00:00Z"`),
		// A custom role by id. (By name, the state keeps the name the configuration uses, as
		// the examples show; an import, which knows no configuration, reads the id.)
		replace: config("rampart_role.reader.id", `  reason = "JIRA-2"`),
		forms:   2,
		importIDs: func(s *terraform.InstanceState) []string {
			return []string{s.ID, "role_assignments/" + s.ID}
		},
		drift: func(ctx context.Context, c *client.Client, s *terraform.InstanceState) error {
			return patchOutside(ctx, c, client.Object{"reason": "changed by hand"}, "role_assignments", s.ID)
		},
		item: func(s *terraform.InstanceState) []string { return []string{"v1", "role_assignments", s.ID} },
	}.run(t)
}
