package provider

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"testing"

	testresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/rampart-dev/rampart/provider-shim/internal/client"
)

// Acceptance tests of rampart_promotion_policy (see lifecycle): a workspace's policy and a
// project's, and the mistakes caught at plan time.

const policyAddress = "rampart_promotion_policy.test"

// daemonPolicy checks the policy in state as rampartd answers it: each field's JSON form.
func daemonPolicy(apiClient *client.Client, want map[string]string) testresource.TestCheckFunc {
	return func(s *terraform.State) error {
		id := s.RootModule().Resources[policyAddress].Primary.ID
		policy, err := apiClient.DoJSON(context.Background(), http.MethodGet, []string{"v1", "promotion_policies", id}, nil, 0)
		if err != nil {
			return err
		}
		for field, value := range want {
			if got := fmt.Sprint(policy[field]); got != value {
				return fmt.Errorf("rampartd's policy has %s = %s, want %s", field, got, value)
			}
		}
		return nil
	}
}

func TestAccPromotionPolicy_workspaceLifecycle(t *testing.T) {
	apiClient := testAccSetup(t)
	workspace, prelude := workspaceConfig()
	prelude += fmt.Sprintf(`resource "rampart_role" "engineer" {
  name        = %q
  permissions = ["model:*"]
}
`, randomName("engineer"))
	config := func(stage, body string) string {
		return prelude + fmt.Sprintf(`resource "rampart_promotion_policy" "test" {
  workspace_id = rampart_workspace.w.id
  stage        = %q
%s
}
`, stage, body)
	}
	strict := `  allowed_roles     = [rampart_role.engineer.name, "project.admin"]
  approval_required = true
  min_approvers     = 2
  approver_roles    = [rampart_role.engineer.name]
  approval_types    = ["technical", "business"]
  four_eyes         = false
  blocked_windows = [
    { days = ["sun", "sat"], start = "00:00", end = "24:00", time_zone = "Europe/Berlin" },
    { start = "22:00", end = "06:00" },
  ]
  required_tags          = ["validated", "fairness-reviewed"]
  min_description_length = 20
  description            = "Two approvals, one technical and one business."
  labels                 = { team = "ml" }`
	lifecycle{
		address: policyAddress,
		create:  config("production", `  allowed_roles = [rampart_role.engineer.name]`),
		update:  config("production", strict),
		replace: config("staging", strict),
		forms:   2,
		importIDs: func(s *terraform.InstanceState) []string {
			return []string{s.ID, "workspaces/" + workspace + "/promotion_policies/" + attribute(s, "stage")}
		},
		checks: []testresource.TestCheckFunc{
			// The defaults, in state as in rampartd.
			testresource.TestCheckResourceAttr(policyAddress, "approval_required", "false"),
			testresource.TestCheckResourceAttr(policyAddress, "min_approvers", "0"),
			testresource.TestCheckResourceAttr(policyAddress, "four_eyes", "true"),
			testresource.TestCheckResourceAttr(policyAddress, "blocked_windows.#", "0"),
			testresource.TestCheckResourceAttr(policyAddress, "min_description_length", "0"),
			testresource.TestCheckNoResourceAttr(policyAddress, "project_id"),
			testresource.TestCheckResourceAttrPair(policyAddress, "workspace_id", "rampart_workspace.w", "id"),
			testresource.TestMatchResourceAttr(policyAddress, "id", regexp.MustCompile(`^pp_`)),
			daemonPolicy(apiClient, map[string]string{"approval_required": "false", "min_approvers": "0", "four_eyes": "true"}),
		},
		drift: func(ctx context.Context, c *client.Client, s *terraform.InstanceState) error {
			return patchOutside(ctx, c, client.Object{"min_approvers": 3, "blocked_windows": []any{}}, "promotion_policies", s.ID)
		},
		item: func(s *terraform.InstanceState) []string { return []string{"v1", "promotion_policies", s.ID} },
	}.run(t)
}

func TestAccPromotionPolicy_projectLifecycle(t *testing.T) {
	apiClient := testAccSetup(t)
	workspace, prelude := workspaceConfig()
	prelude += `resource "rampart_project" "p" {
  workspace_id = rampart_workspace.w.id
  name         = "fraud-detection"
}
`
	config := func(body string) string {
		return prelude + fmt.Sprintf(`resource "rampart_promotion_policy" "test" {
  project_id = rampart_project.p.id
  stage      = "production"
%s
}
`, body)
	}
	lifecycle{
		address: policyAddress,
		create: config(`  approval_required = true
  approver_roles    = ["project.admin"]
  blocked_windows   = [{ days = ["fri"], start = "16:00", end = "24:00", time_zone = "America/New_York" }]`),
		// Approval turned off: min_approvers and approver_roles go back to their defaults with it.
		update: config(`  required_tags = ["validated"]`),
		forms:  2,
		importIDs: func(s *terraform.InstanceState) []string {
			return []string{s.ID, "workspaces/" + workspace + "/projects/fraud-detection/promotion_policies/production"}
		},
		checks: []testresource.TestCheckFunc{
			testresource.TestCheckResourceAttr(policyAddress, "min_approvers", "1"),
			testresource.TestCheckResourceAttr(policyAddress, "blocked_windows.0.days.#", "1"),
			testresource.TestCheckResourceAttrPair(policyAddress, "project_id", "rampart_project.p", "id"),
			// A project's policy answers its workspace too.
			testresource.TestCheckResourceAttrPair(policyAddress, "workspace_id", "rampart_workspace.w", "id"),
			daemonPolicy(apiClient, map[string]string{"min_approvers": "1", "approver_roles": "[project.admin]"}),
		},
		drift: func(ctx context.Context, c *client.Client, s *terraform.InstanceState) error {
			return patchOutside(ctx, c, client.Object{"required_tags": []string{"validated", "signed-off"}, "four_eyes": false},
				"promotion_policies", s.ID)
		},
		item: func(s *terraform.InstanceState) []string { return []string{"v1", "promotion_policies", s.ID} },
	}.run(t)
}

func TestAccPromotionPolicy_approvalOffResetsTheApprovalRules(t *testing.T) {
	apiClient := testAccSetup(t)
	_, prelude := workspaceConfig()
	config := func(body string) string {
		return prelude + fmt.Sprintf(`resource "rampart_promotion_policy" "test" {
  workspace_id = rampart_workspace.w.id
  stage        = "staging"
%s
}
`, body)
	}
	testresource.Test(t, testresource.TestCase{
		ProtoV6ProviderFactories: testAccProviderFactories,
		Steps: []testresource.TestStep{
			{Config: config(`  approval_required = true
  min_approvers     = 3
  approver_roles    = ["project.admin"]
  approval_types    = ["technical"]`),
				Check: daemonPolicy(apiClient, map[string]string{"min_approvers": "3", "approval_types": "[technical]"})},
			{Config: config(""), Check: daemonPolicy(apiClient, map[string]string{
				"approval_required": "false", "min_approvers": "0", "approver_roles": "[]", "approval_types": "[]",
			})},
			// And back on without a count: the daemon's default, one approver.
			{Config: config(`  approval_required = true`), Check: daemonPolicy(apiClient, map[string]string{"min_approvers": "1"})},
		},
	})
}

func TestAccPromotionPolicy_daemonRefusalsPointAtTheAttribute(t *testing.T) {
	testAccSetup(t)
	_, prelude := workspaceConfig()
	testresource.Test(t, testresource.TestCase{
		ProtoV6ProviderFactories: testAccProviderFactories,
		Steps: []testresource.TestStep{
			{Config: prelude + `resource "rampart_promotion_policy" "test" {
  workspace_id  = rampart_workspace.w.id
  stage         = "production"
  allowed_roles = ["no-such-role"]
}
`, ExpectError: regexp.MustCompile(`(?s)Could not create promotion policy.*allowed_roles = \["no-such-role"\].*no built-in or custom role.*422`)},
			{Config: prelude + `resource "rampart_promotion_policy" "a" {
  workspace_id = rampart_workspace.w.id
  stage        = "production"
}

resource "rampart_promotion_policy" "b" {
  workspace_id = rampart_promotion_policy.a.workspace_id
  stage        = "production"
}
`, ExpectError: regexp.MustCompile(`(?s)Could not create promotion policy.*409`)},
		},
	})
}

func TestAccPromotionPolicy_mistakesAreCaughtAtPlan(t *testing.T) {
	testAccSetup(t)
	policy := func(body string) string {
		return "resource \"rampart_promotion_policy\" \"p\" {\n" + body + "\n}\n"
	}
	for name, tc := range map[string]struct{ config, want string }{
		"no scope": {policy(`  stage = "staging"`), `(?s)Missing Attribute Configuration|Invalid Attribute Combination`},
		"two scopes": {policy(`  workspace_id = "ws_1"
  project_id   = "prj_1"
  stage        = "staging"`), `(?s)Invalid Attribute Combination`},
		"unknown stage": {policy(`  workspace_id = "ws_1"
  stage        = "prod"`), `(?s)stage.*value must be one of`},
		"scope by name": {policy(`  workspace_id = "production"
  stage        = "staging"`), `must be an id \(ws_\.\.\.\)`},
		"approvers without approval": {policy(`  workspace_id   = "ws_1"
  stage          = "production"
  approver_roles = ["project.admin"]`), `(?s)approver_roles applies only when approval_required = true`},
		"count without approval": {policy(`  workspace_id      = "ws_1"
  stage             = "production"
  approval_required = false
  min_approvers     = 2`), `(?s)min_approvers applies only when approval_required = true`},
		"types without approval": {policy(`  workspace_id   = "ws_1"
  stage          = "production"
  approval_types = ["technical"]`), `(?s)approval_types applies only when approval_required = true`},
		"too many approvers": {policy(`  workspace_id      = "ws_1"
  stage             = "production"
  approval_required = true
  min_approvers     = 21`), `(?s)min_approvers.*between 1 and 20`},
		"no approver": {policy(`  workspace_id      = "ws_1"
  stage             = "production"
  approval_required = true
  min_approvers     = 0`), `(?s)min_approvers.*between 1 and 20`},
		"role by id": {policy(`  workspace_id  = "ws_1"
  stage         = "production"
  allowed_roles = ["role_0123"]`), `must be a role name`},
		"bad time": {policy(`  workspace_id    = "ws_1"
  stage           = "production"
  blocked_windows = [{ start = "9:00", end = "17:00" }]`), `(?s)HH:MM`},
		"bad day": {policy(`  workspace_id    = "ws_1"
  stage           = "production"
  blocked_windows = [{ days = ["saturday"], start = "00:00", end = "24:00" }]`), `(?s)days.*value must be one of`},
		"no day": {policy(`  workspace_id    = "ws_1"
  stage           = "production"
  blocked_windows = [{ days = [], start = "00:00", end = "24:00" }]`), `(?s)days.*at least 1`},
		"empty window": {policy(`  workspace_id    = "ws_1"
  stage           = "production"
  blocked_windows = [{ start = "09:00", end = "09:00" }]`), `(?s)end must differ from its start`},
		"unknown time zone": {policy(`  workspace_id    = "ws_1"
  stage           = "production"
  blocked_windows = [{ start = "22:00", end = "06:00", time_zone = "Europe/Berln" }]`), `(?s)must be an IANA time zone`},
		"bad tag": {policy(`  workspace_id  = "ws_1"
  stage         = "production"
  required_tags = ["needs review"]`), `(?s)must be a tag`},
	} {
		t.Run(name, func(t *testing.T) {
			testresource.Test(t, testresource.TestCase{
				ProtoV6ProviderFactories: testAccProviderFactories,
				Steps:                    []testresource.TestStep{{Config: tc.config, PlanOnly: true, ExpectError: regexp.MustCompile(tc.want)}},
			})
		})
	}
}
