package provider

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	testresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/rampart-dev/rampart/provider-shim/internal/client"
)

// Acceptance tests of the resources that are not plain objects (a membership, the
// organization's settings), of the data sources, and of plan-time validation.

// teamMembers reads a team's member ids through the API.
func teamMembers(t *testing.T, c *client.Client, team string) []string {
	t.Helper()
	answer, err := c.DoJSON(context.Background(), http.MethodGet, []string{"v1", "teams", team, "members"}, nil, 0)
	if err != nil {
		t.Fatalf("reading the members of %s: %v", team, err)
	}
	var ids []string
	for _, member := range answer["members"].([]any) {
		ids = append(ids, member.(string))
	}
	return ids
}

func TestAccTeamMember_addsOneMemberAndLeavesTheOthers(t *testing.T) {
	apiClient := testAccSetup(t)
	ctx := context.Background()
	team := randomName("ops")
	// A member added by hand, outside this configuration.
	if _, err := apiClient.DoJSON(ctx, http.MethodPost, []string{"v1", "teams"}, client.Object{"name": team}, 0); err != nil {
		t.Fatal(err)
	}
	byHand, err := apiClient.DoJSON(ctx, http.MethodPost, []string{"v1", "users"}, client.Object{"email": randomName("hand") + "@example.com"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	handID := byHand["id"].(string)
	if _, err := apiClient.DoJSON(ctx, http.MethodPut, []string{"v1", "teams", team, "members", handID}, nil, 0); err != nil {
		t.Fatal(err)
	}
	config := fmt.Sprintf(`data "rampart_team" "ops" {
  name = %q
}

resource "rampart_user" "u" {
  email = %q
}

resource "rampart_team_member" "test" {
  team_id = data.rampart_team.ops.id
  member  = rampart_user.u.id
}
`, team, randomName("u")+"@example.com")
	var memberID, teamID string
	testresource.Test(t, testresource.TestCase{
		ProtoV6ProviderFactories: testAccProviderFactories,
		Steps: []testresource.TestStep{
			{
				Config: config,
				Check: func(s *terraform.State) error {
					membership := s.RootModule().Resources["rampart_team_member.test"].Primary
					teamID, memberID = membership.Attributes["team_id"], membership.Attributes["member"]
					if membership.ID != teamID+"/"+memberID {
						return fmt.Errorf("id %q, want TEAM_ID/MEMBER_ID", membership.ID)
					}
					members := teamMembers(t, apiClient, team)
					if !slices.Contains(members, memberID) || !slices.Contains(members, handID) {
						return fmt.Errorf("members %v, want both %s and %s", members, memberID, handID)
					}
					return nil
				},
			},
			{
				ResourceName: "rampart_team_member.test", ImportState: true, ImportStateVerify: true,
				ImportStateIdFunc: func(*terraform.State) (string, error) { return teamID + "/" + memberID, nil },
			},
			{
				ResourceName: "rampart_team_member.test", ImportState: true, ImportStateVerify: true,
				ImportStateIdFunc: func(*terraform.State) (string, error) { return "teams/" + team + "/members/" + memberID, nil },
			},
			{
				Config: config, ResourceName: "rampart_team_member.test", ImportState: true,
				ImportStateKind:   testresource.ImportBlockWithID,
				ImportStateIdFunc: func(*terraform.State) (string, error) { return teamID + "/" + memberID, nil },
			},
			{
				// Removed outside Terraform: the membership is planned again.
				PreConfig: func() {
					if _, err := apiClient.DoJSON(ctx, http.MethodDelete, []string{"v1", "teams", team, "members", memberID}, nil, 0); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: testresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("rampart_team_member.test", plancheck.ResourceActionCreate),
				}},
			},
		},
		CheckDestroy: func(*terraform.State) error {
			// Destroy removes its member only; the team and the member added by hand stay.
			if members := teamMembers(t, apiClient, team); !slices.Equal(members, []string{handID}) {
				return fmt.Errorf("members after destroy %v, want only %s", members, handID)
			}
			return nil
		},
	})
}

func TestAccOrganizationSettings_changesTheOrganizationAndDestroyLeavesIt(t *testing.T) {
	apiClient := testAccSetup(t)
	ctx := context.Background()
	organization, err := apiClient.DoJSON(ctx, http.MethodGet, []string{"v1", "organization"}, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	config := func(description string) string {
		return fmt.Sprintf(`resource "rampart_organization_settings" "test" {
  display_name = "Acme ML"
  description  = %q
  labels       = { cost_center = "cc-1" }
}
`, description)
	}
	testresource.Test(t, testresource.TestCase{
		ProtoV6ProviderFactories: testAccProviderFactories,
		Steps: []testresource.TestStep{
			{
				Config: config("first"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("rampart_organization_settings.test", tfjsonpath.New("id"), knownvalue.StringExact(organization["id"].(string))),
					statecheck.ExpectKnownValue("rampart_organization_settings.test", tfjsonpath.New("name"), knownvalue.StringExact(organization["name"].(string))),
				},
			},
			{
				Config: config("second"),
				ConfigPlanChecks: testresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("rampart_organization_settings.test", plancheck.ResourceActionUpdate),
				}},
			},
			{ResourceName: "rampart_organization_settings.test", ImportState: true, ImportStateVerify: true, ImportStateId: "organization"},
			{ResourceName: "rampart_organization_settings.test", ImportState: true, ImportStateVerify: true, ImportStateId: organization["id"].(string)},
			{
				Config: config("second"), ResourceName: "rampart_organization_settings.test", ImportState: true,
				ImportStateKind: testresource.ImportBlockWithID, ImportStateId: "organization",
			},
			{
				Config: config("second"), ResourceName: "rampart_organization_settings.test", ImportState: true,
				ImportStateId: "org_0000000000000000", ExpectError: regexp.MustCompile(`(?s)does\s+not\s+exist\s+in\s+the\s+token's\s+organization`),
			},
			{
				PreConfig: func() {
					if err := patchOutside(ctx, apiClient, client.Object{"display_name": "by hand"}, "organization"); err != nil {
						t.Fatal(err)
					}
				},
				Config: config("second"), PlanOnly: true, ExpectNonEmptyPlan: true,
			},
			{Config: config("second")},
		},
		CheckDestroy: func(*terraform.State) error {
			after, err := apiClient.DoJSON(ctx, http.MethodGet, []string{"v1", "organization"}, nil, 0)
			if err != nil || after["display_name"] != "Acme ML" {
				return fmt.Errorf("after destroy the organization is %v (%v), want it kept as it was", after, err)
			}
			return nil
		},
	})
}

func TestAccDataSources_readWhatTheResourcesMade(t *testing.T) {
	testAccSetup(t)
	workspace, email, team, role := randomName("ws"), randomName("dana")+"@example.com", randomName("devs"), randomName("runner")
	config := fmt.Sprintf(`resource "rampart_workspace" "w" {
  name = %[1]q
}

resource "rampart_project" "p" {
  workspace_id = rampart_workspace.w.id
  name         = "recsys"
}

resource "rampart_stack" "s" {
  workspace_id = rampart_workspace.w.id
  name         = "production"
}

resource "rampart_user" "u" {
  email = %[2]q
}

resource "rampart_team" "t" {
  name    = %[3]q
  members = [rampart_user.u.id]
}

resource "rampart_role" "r" {
  name        = %[4]q
  permissions = ["pipeline:run"]
}

resource "rampart_role_assignment" "a" {
  role     = "stack.write"
  team_id  = rampart_team.t.id
  stack_id = rampart_stack.s.id
}

data "rampart_workspace" "w" {
  name = rampart_workspace.w.name
}

data "rampart_project" "p" {
  workspace_id = rampart_workspace.w.name
  name         = rampart_project.p.name
}

data "rampart_stack" "s" {
  workspace_id = rampart_workspace.w.id
  name         = rampart_stack.s.name
}

data "rampart_user" "u" {
  email = rampart_user.u.email
}

data "rampart_team" "t" {
  name = rampart_team.t.name
}

data "rampart_role" "custom" {
  name = rampart_role.r.name
}

data "rampart_role" "builtin" {
  name = "stack.write"
}

data "rampart_access_check" "allowed" {
  principal  = "user:${rampart_user.u.email}"
  permission = "stack:use"
  resource   = "workspaces/${rampart_workspace.w.name}/stacks/production"
  depends_on = [rampart_role_assignment.a]
}

data "rampart_access_check" "denied" {
  principal  = "user:${rampart_user.u.email}"
  permission = "stack:delete"
  resource   = "workspaces/${rampart_workspace.w.name}/stacks/production"
  depends_on = [rampart_role_assignment.a]
}

data "rampart_access_matrix" "stack" {
  scope      = "workspaces/${rampart_workspace.w.name}/stacks/production"
  depends_on = [rampart_role_assignment.a]
}
`, workspace, email, team, role)
	same := func(data, resource, attribute string) statecheck.StateCheck {
		return statecheck.CompareValuePairs(data, tfjsonpath.New(attribute), resource, tfjsonpath.New(attribute), compare.ValuesSame())
	}
	testresource.Test(t, testresource.TestCase{
		ProtoV6ProviderFactories: testAccProviderFactories,
		Steps: []testresource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				same("data.rampart_workspace.w", "rampart_workspace.w", "id"),
				same("data.rampart_project.p", "rampart_project.p", "id"),
				// The argument keeps its spelling (a name here), not the id.
				statecheck.ExpectKnownValue("data.rampart_project.p", tfjsonpath.New("workspace_id"), knownvalue.StringExact(workspace)),
				same("data.rampart_stack.s", "rampart_stack.s", "id"),
				same("data.rampart_user.u", "rampart_user.u", "id"),
				same("data.rampart_team.t", "rampart_team.t", "members"),
				same("data.rampart_role.custom", "rampart_role.r", "id"),
				statecheck.ExpectKnownValue("data.rampart_role.builtin", tfjsonpath.New("builtin"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue("data.rampart_role.builtin", tfjsonpath.New("permissions"),
					knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("stack:read"), knownvalue.StringExact("stack:update"), knownvalue.StringExact("stack:use")})),
				statecheck.ExpectKnownValue("data.rampart_access_check.allowed", tfjsonpath.New("allowed"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue("data.rampart_access_check.allowed", tfjsonpath.New("role"), knownvalue.StringExact("stack.write")),
				statecheck.CompareValuePairs("data.rampart_access_check.allowed", tfjsonpath.New("via_team_id"),
					"rampart_team.t", tfjsonpath.New("id"), compare.ValuesSame()),
				statecheck.ExpectKnownValue("data.rampart_access_check.denied", tfjsonpath.New("allowed"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue("data.rampart_access_matrix.stack", tfjsonpath.New("rows"), knownvalue.ListPartial(map[int]knownvalue.Check{
					0: knownvalue.ObjectPartial(map[string]knownvalue.Check{"role": knownvalue.StringExact("stack.write")}),
				})),
			},
		}},
	})
}

func TestAccValidation_mistakesAreCaughtAtPlan(t *testing.T) {
	testAccSetup(t)
	for name, tc := range map[string]struct{ config, want string }{
		"two principals": {`resource "rampart_role_assignment" "a" {
  role               = "viewer"
  user_id            = "usr_1"
  service_account_id = "sa_1"
}`, `(?s)These attributes cannot be configured together|Invalid Attribute Combination`},
		"no principal": {`resource "rampart_role_assignment" "a" {
  role = "viewer"
}`, `(?s)Missing Attribute Configuration.*user_id`},
		"two scopes": {`resource "rampart_role_assignment" "a" {
  role         = "viewer"
  user_id      = "usr_1"
  workspace_id = "ws_1"
  stack_id     = "stk_1"
}`, `(?s)Invalid Attribute Combination`},
		"a name where an id goes": {`resource "rampart_project" "p" {
  workspace_id = "alpha-workspace"
  name         = "recsys"
}`, `must be an id \(ws_\.\.\.\)`},
		"unknown component type": {`resource "rampart_stack_component" "c" {
  workspace_id = "ws_1"
  name         = "c"
  type         = "toaster"
  flavor       = "s3"
}`, `type.*value must be one of`},
		"configuration not an object": {`resource "rampart_stack_component" "c" {
  workspace_id  = "ws_1"
  name          = "c"
  type          = "artifact_store"
  flavor        = "s3"
  configuration = "[1, 2]"
}`, `must be a JSON object`},
		"bad permission": {`resource "rampart_role" "r" {
  name        = "r"
  permissions = ["Pipeline Run"]
}`, `must be a permission pattern`},
		"bad timestamp": {`resource "rampart_role_assignment" "a" {
  role       = "viewer"
  user_id    = "usr_1"
  expires_at = "next tuesday"
}`, `must be an RFC 3339 timestamp`},
		"bad quota": {`resource "rampart_project_stack" "b" {
  project_id = "prj_1"
  stack_id   = "stk_1"
  quota      = { cpu = "lots" }
}`, `CPU quantity`},
	} {
		t.Run(name, func(t *testing.T) {
			testresource.Test(t, testresource.TestCase{
				ProtoV6ProviderFactories: testAccProviderFactories,
				Steps:                    []testresource.TestStep{{Config: tc.config, PlanOnly: true, ExpectError: regexp.MustCompile(tc.want)}},
			})
		})
	}
}

func TestAccOrganizationSettings_auditRetention(t *testing.T) {
	apiClient := testAccSetup(t)
	ctx := context.Background()
	retention := func(days string) string {
		return fmt.Sprintf("resource \"rampart_organization_settings\" \"test\" {\n%s}\n", days)
	}
	daemonRetention := func(want int) testresource.TestCheckFunc {
		return func(*terraform.State) error {
			organization, err := apiClient.DoJSON(ctx, http.MethodGet, []string{"v1", "organization"}, nil, 0)
			if err != nil {
				return err
			}
			if fmt.Sprint(organization["audit_retention_days"]) != fmt.Sprint(want) {
				return fmt.Errorf("rampartd keeps audit events %v days, want %v", organization["audit_retention_days"], want)
			}
			return nil
		}
	}
	testresource.Test(t, testresource.TestCase{
		ProtoV6ProviderFactories: testAccProviderFactories,
		Steps: []testresource.TestStep{
			{
				Config: retention(""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("rampart_organization_settings.test", tfjsonpath.New("audit_retention_days"), knownvalue.Int64Exact(90)),
				},
				Check: daemonRetention(90),
			},
			{Config: retention("  audit_retention_days = 2557\n"), Check: daemonRetention(2557)},
			{ResourceName: "rampart_organization_settings.test", ImportState: true, ImportStateVerify: true, ImportStateId: "organization"},
			{Config: retention("  audit_retention_days = 0\n"), ExpectError: regexp.MustCompile(`(?s)audit_retention_days.*between 1 and 2557`)},
			{Config: retention(""), Check: daemonRetention(90)},
		},
	})
}
