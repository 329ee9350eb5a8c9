package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	testresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"google.golang.org/protobuf/proto"

	"github.com/rampart-dev/rampart/provider-shim/api/rampartv1"
)

func TestProjectWorkspaceID_MustBeAnID(t *testing.T) {
	if errs := validateAttribute(t, newObjectResource(projectKind)(), "workspace_id", "ws_0123456789abcdef"); len(errs) != 0 {
		t.Errorf("a workspace id was rejected: %v", errs)
	}
	for _, value := range []string{"alpha-workspace", "workspaces/alpha", "ws_a/b", ""} {
		if errs := validateAttribute(t, newObjectResource(projectKind)(), "workspace_id", value); len(errs) == 0 {
			t.Errorf("workspace_id %q accepted", value)
		}
	}
}

func TestProjectImportID_IsAnIDOrANamePath(t *testing.T) {
	for importID, want := range map[string]string{
		"prj_0123456789abcdef":                      "v1/projects/prj_0123456789abcdef",
		"workspaces/alpha/projects/recsys":          "v1/workspaces/alpha/projects/recsys",
		"workspaces/ws_01234567/projects/prj_89abc": "v1/workspaces/ws_01234567/projects/prj_89abc",
	} {
		got, err := projectKind.importPath(importID)
		if err != nil || strings.Join(got, "/") != want {
			t.Errorf("importPath(%q) = %v, %v; want %s", importID, got, err, want)
		}
	}
	for _, importID := range []string{"", "prj_", "recsys", "alpha/recsys", "workspaces/alpha/projects/", "workspaces/alpha/stacks/recsys",
		"workspaces/alpha/projects/recsys/extra", "ws_0123"} {
		if got, err := projectKind.importPath(importID); err == nil {
			t.Errorf("importPath(%q) = %v, want an error", importID, got)
		}
	}
}

func TestAccProject_lifecycle(t *testing.T) {
	apiClient := testAccSetup(t)
	first, second := randomName("acc-ws"), randomName("acc-ws")
	name, renamed := randomName("acc-prj"), randomName("acc-prj-renamed")
	config := func(workspace, project, extra string) string {
		return fmt.Sprintf(`resource "rampart_workspace" "first" {
  name = %q
}

resource "rampart_workspace" "second" {
  name = %q
}

resource "rampart_project" "test" {
  workspace_id = rampart_workspace.%s.id
  name         = %q
%s}
`, first, second, workspace, project, extra)
	}
	full := `  display_name = "Acceptance"
  description  = "managed by TestAccProject_lifecycle"
  labels = {
    environment = "dev"
  }
`

	testresource.Test(t, testresource.TestCase{
		ProtoV6ProviderFactories: testAccProviderFactories,
		CheckDestroy:             checkWorkspacesGone(apiClient, first, second),
		Steps: []testresource.TestStep{
			{
				Config: config("first", name, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("rampart_project.test", tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^prj_`))),
					statecheck.ExpectKnownValue("rampart_project.test", tfjsonpath.New("labels"), knownvalue.MapExact(map[string]knownvalue.Check{})),
				},
			},
			{
				// Rename and set everything in place.
				Config: config("first", renamed, full),
				ConfigPlanChecks: testresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("rampart_project.test", plancheck.ResourceActionUpdate)},
				},
				Check: func(s *terraform.State) error {
					project, err := apiClient.GetProject(context.Background(), first, renamed)
					if err != nil {
						return err
					}
					if project.GetDisplayName() != "Acceptance" || project.GetLabels()["environment"] != "dev" {
						return fmt.Errorf("daemon has %v after update", project)
					}
					return nil
				},
			},
			{ResourceName: "rampart_project.test", ImportState: true, ImportStateVerify: true},
			{
				ResourceName: "rampart_project.test", ImportState: true, ImportStateVerify: true,
				ImportStateId: fmt.Sprintf("workspaces/%s/projects/%s", first, renamed),
			},
			{
				// A change made outside Terraform is drift that apply undoes.
				PreConfig: func() {
					_, err := apiClient.UpdateProject(context.Background(), first, renamed, &rampartv1.UpdateProjectRequest{
						Description: proto.String("changed outside"), Labels: map[string]string{"environment": "dev"},
					}, 0)
					if err != nil {
						t.Fatalf("changing the project outside Terraform: %v", err)
					}
				},
				Config: config("first", renamed, full),
				ConfigPlanChecks: testresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("rampart_project.test", plancheck.ResourceActionUpdate)},
				},
			},
			{
				// Moving to another workspace replaces the project.
				Config: config("second", renamed, full),
				ConfigPlanChecks: testresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("rampart_project.test", plancheck.ResourceActionReplace)},
				},
			},
			{
				// A project deleted outside Terraform is planned for creation again.
				PreConfig: func() {
					if err := apiClient.DeleteProject(context.Background(), second, renamed, 0); err != nil {
						t.Fatalf("deleting the project outside Terraform: %v", err)
					}
				},
				Config: config("second", renamed, full),
				ConfigPlanChecks: testresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("rampart_project.test", plancheck.ResourceActionCreate)},
				},
			},
		},
	})
}

func TestAccProject_nameTakenPointsAtName(t *testing.T) {
	apiClient := testAccSetup(t)
	workspaceName := randomName("acc-ws")
	workspace, err := apiClient.CreateWorkspace(context.Background(), &rampartv1.CreateWorkspaceRequest{Name: workspaceName})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := apiClient.CreateProject(context.Background(), workspaceName, &rampartv1.CreateProjectRequest{Name: "taken"}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = apiClient.DeleteProject(context.Background(), workspaceName, "taken", 0)
		_ = apiClient.DeleteWorkspace(context.Background(), workspaceName, 0)
	})

	testresource.Test(t, testresource.TestCase{
		ProtoV6ProviderFactories: testAccProviderFactories,
		Steps: []testresource.TestStep{{
			Config: fmt.Sprintf(`resource "rampart_project" "test" {
  workspace_id = %q
  name         = "taken"
}
`, workspace.GetId()),
			// The diagnostic quotes the attribute's line of configuration.
			ExpectError: regexp.MustCompile(`(?s)Could not create project.*name\s+= "taken".*already_exists`),
		}},
	})
}
