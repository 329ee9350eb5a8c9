package provider

import (
	"context"
	"crypto/rand"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	testresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"google.golang.org/protobuf/proto"

	"github.com/rampart-dev/rampart/provider-shim/api/rampartv1"
	"github.com/rampart-dev/rampart/provider-shim/internal/client"
)

// validateAttribute runs the validators the resource's schema declares on a string
// attribute and returns the error summaries.
func validateAttribute(t *testing.T, r resource.Resource, attribute, value string) []string {
	t.Helper()
	resp := &resource.SchemaResponse{}
	r.Schema(context.Background(), resource.SchemaRequest{}, resp)
	stringAttribute, ok := resp.Schema.Attributes[attribute].(schema.StringAttribute)
	if !ok {
		t.Fatalf("%s is not a string attribute", attribute)
	}
	var errs []string
	for _, v := range stringAttribute.Validators {
		validateResp := &validator.StringResponse{}
		v.ValidateString(context.Background(), validator.StringRequest{
			Path: path.Root(attribute), ConfigValue: types.StringValue(value),
		}, validateResp)
		for _, d := range validateResp.Diagnostics.Errors() {
			errs = append(errs, d.Detail())
		}
	}
	return errs
}

func TestWorkspaceName_ValidatedAtPlanTimeLikeTheDaemon(t *testing.T) {
	valid := []string{"a", "alpha-workspace", "w1", "a-b-c", "x" + strings.Repeat("y", 61) + "z"}
	invalid := []string{"", "Bad_Name", "Alpha", "-a", "a-", "1abc", "a.b", "a b", "x" + strings.Repeat("y", 62) + "z"}
	for _, name := range valid {
		if errs := validateAttribute(t, newObjectResource(workspaceKind)(), "name", name); len(errs) != 0 {
			t.Errorf("name %q rejected: %v", name, errs)
		}
	}
	for _, name := range invalid {
		errs := validateAttribute(t, newObjectResource(workspaceKind)(), "name", name)
		if len(errs) == 0 || !strings.Contains(errs[0], "DNS label") {
			t.Errorf("name %q accepted or rejected unclearly: %v", name, errs)
		}
	}
}

func TestWorkspaceImportID_IsAnIDOrANamePath(t *testing.T) {
	for importID, want := range map[string]string{
		"ws_0123456789abcdef":         "v1/workspaces/ws_0123456789abcdef",
		"workspaces/alpha-workspace":  "v1/workspaces/alpha-workspace",
		"workspaces/ws_0123456789abc": "v1/workspaces/ws_0123456789abc",
		"alpha-workspace":             "v1/workspaces/alpha-workspace",
	} {
		got, err := workspaceKind.importPath(importID)
		if err != nil || strings.Join(got, "/") != want {
			t.Errorf("importPath(%q) = %v, %v; want %s", importID, got, err, want)
		}
	}
	for _, importID := range []string{"", "ws_", "workspaces/", "workspaces/a/projects/b", "prj_0123", "a/b"} {
		if got, err := workspaceKind.importPath(importID); err == nil {
			t.Errorf("importPath(%q) = %v, want an error", importID, got)
		}
	}
}

// Acceptance tests: the real CLI against a real rampartd (see testAccSetup).

// randomName returns prefix followed by a random suffix, a valid DNS label, so tests
// sharing a daemon do not collide.
func randomName(prefix string) string {
	return prefix + "-" + strings.ToLower(rand.Text()[:10])
}

func TestAccWorkspace_lifecycle(t *testing.T) {
	apiClient := testAccSetup(t)
	name, renamed := randomName("acc-ws"), randomName("acc-ws-renamed")
	minimal := fmt.Sprintf(`resource "rampart_workspace" "test" {
  name = %q
}
`, renamed)
	var workspaceID string

	testresource.Test(t, testresource.TestCase{
		ProtoV6ProviderFactories: testAccProviderFactories,
		CheckDestroy:             checkWorkspacesGone(apiClient, name, renamed),
		Steps: []testresource.TestStep{
			{
				// Defaults: empty display_name, description and labels.
				Config: fmt.Sprintf(`resource "rampart_workspace" "test" {
  name = %q
}
`, name),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("rampart_workspace.test", tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^ws_`))),
					statecheck.ExpectKnownValue("rampart_workspace.test", tfjsonpath.New("display_name"), knownvalue.StringExact("")),
					statecheck.ExpectKnownValue("rampart_workspace.test", tfjsonpath.New("description"), knownvalue.StringExact("")),
					statecheck.ExpectKnownValue("rampart_workspace.test", tfjsonpath.New("labels"), knownvalue.MapExact(map[string]knownvalue.Check{})),
					statecheck.ExpectKnownValue("rampart_workspace.test", tfjsonpath.New("created_at"), knownvalue.NotNull()),
				},
				Check: func(s *terraform.State) error {
					workspaceID = s.RootModule().Resources["rampart_workspace.test"].Primary.ID
					return nil
				},
			},
			{
				// Rename and set everything: one in-place update.
				Config: fmt.Sprintf(`resource "rampart_workspace" "test" {
  name         = %q
  display_name = "Acceptance"
  description  = "managed by TestAccWorkspace_lifecycle"
  labels = {
    cost_center = "cc-1"
    team        = "platform"
  }
}
`, renamed),
				ConfigPlanChecks: testresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("rampart_workspace.test", plancheck.ResourceActionUpdate)},
				},
				Check: func(s *terraform.State) error {
					workspace, err := apiClient.GetWorkspace(context.Background(), renamed)
					if err != nil {
						return err
					}
					if workspace.GetId() != workspaceID || workspace.GetDescription() != "managed by TestAccWorkspace_lifecycle" ||
						workspace.GetLabels()["team"] != "platform" || len(workspace.GetLabels()) != 2 {
						return fmt.Errorf("daemon has %v after update", workspace)
					}
					return nil
				},
			},
			{ResourceName: "rampart_workspace.test", ImportState: true, ImportStateVerify: true},
			{ResourceName: "rampart_workspace.test", ImportState: true, ImportStateVerify: true, ImportStateId: "workspaces/" + renamed},
			{
				// Leaving the optional arguments out clears them on the daemon.
				Config: minimal,
				Check: func(s *terraform.State) error {
					workspace, err := apiClient.GetWorkspace(context.Background(), renamed)
					if err != nil {
						return err
					}
					if workspace.GetDisplayName() != "" || workspace.GetDescription() != "" || len(workspace.GetLabels()) != 0 {
						return fmt.Errorf("daemon still has %v", workspace)
					}
					return nil
				},
			},
			{
				// A change made outside Terraform is drift that apply undoes.
				PreConfig: func() {
					_, err := apiClient.UpdateWorkspace(context.Background(), renamed, &rampartv1.UpdateWorkspaceRequest{
						Description: proto.String("changed outside"), Labels: map[string]string{"extra": "x"},
					}, 0)
					if err != nil {
						t.Fatalf("changing the workspace outside Terraform: %v", err)
					}
				},
				Config: minimal,
				ConfigPlanChecks: testresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("rampart_workspace.test", plancheck.ResourceActionUpdate)},
				},
			},
			{
				// A workspace deleted outside Terraform is planned for creation again.
				PreConfig: func() {
					if err := apiClient.DeleteWorkspace(context.Background(), renamed, 0); err != nil {
						t.Fatalf("deleting the workspace outside Terraform: %v", err)
					}
				},
				Config: minimal,
				ConfigPlanChecks: testresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("rampart_workspace.test", plancheck.ResourceActionCreate)},
				},
			},
		},
	})
}

func TestAccWorkspace_nameTakenShowsTheDaemonsMessage(t *testing.T) {
	apiClient := testAccSetup(t)
	name := randomName("acc-taken")
	if _, err := apiClient.CreateWorkspace(context.Background(), &rampartv1.CreateWorkspaceRequest{Name: name}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = apiClient.DeleteWorkspace(context.Background(), name, 0) })

	testresource.Test(t, testresource.TestCase{
		ProtoV6ProviderFactories: testAccProviderFactories,
		Steps: []testresource.TestStep{{
			Config: fmt.Sprintf(`resource "rampart_workspace" "test" {
  name = %q
}
`, name),
			ExpectError: regexp.MustCompile(`(?s)Could not create workspace.*already_exists`),
		}},
	})
}

func TestAccWorkspace_invalidNameFailsAtPlan(t *testing.T) {
	testAccSetup(t)
	testresource.Test(t, testresource.TestCase{
		ProtoV6ProviderFactories: testAccProviderFactories,
		Steps: []testresource.TestStep{{
			Config:      `resource "rampart_workspace" "test" { name = "Bad_Name" }`,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`must be a DNS label`),
		}},
	})
}

// checkWorkspacesGone checks after destroy that no workspace with these names is left.
func checkWorkspacesGone(apiClient *client.Client, names ...string) func(*terraform.State) error {
	return func(*terraform.State) error {
		for _, name := range names {
			_, err := apiClient.GetWorkspace(context.Background(), name)
			if err == nil {
				return fmt.Errorf("workspace %s still exists after destroy", name)
			}
			if !client.IsNotFound(err) {
				return err
			}
		}
		return nil
	}
}
