package provider

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	testresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/rampart-dev/rampart/provider-shim/internal/client"
)

// lifecycle is one resource's acceptance test through the real CLI and a real rampartd:
// create, change in place, replace, import by every form (terraform import and an import
// block, each followed by an empty plan), drift made outside Terraform, deletion outside
// Terraform, and destroy. terraform-plugin-testing also plans after every apply and fails
// on a non-empty plan.
type lifecycle struct {
	address string // "rampart_team.test"
	create  string // configurations, each complete
	update  string // changes address in place ("" when nothing may change in place)
	replace string // changes address by replacing it ("" when nothing forces that)
	// importIDs are the import IDs to try, from the state: the id, the name path, ...;
	// there are always `forms` of them.
	importIDs func(state *terraform.InstanceState) []string
	forms     int
	// importIgnore are attributes an import cannot know (a key's secret).
	importIgnore []string
	// drift changes the object outside Terraform (nil: nothing can drift).
	drift func(ctx context.Context, c *client.Client, state *terraform.InstanceState) error
	// checks run after the create.
	checks []testresource.TestCheckFunc
	// item is the REST path of the object in state, to delete it outside Terraform and to
	// check that destroy removed it.
	item func(state *terraform.InstanceState) []string
}

func (l lifecycle) run(t *testing.T) {
	apiClient := testAccSetup(t)
	ctx := context.Background()
	var last *terraform.InstanceState
	remember := func(s *terraform.State) error {
		resource, ok := s.RootModule().Resources[l.address]
		if !ok {
			return fmt.Errorf("%s is not in the state", l.address)
		}
		last = resource.Primary
		return nil
	}
	final := l.create
	steps := []testresource.TestStep{{Config: l.create, Check: testresource.ComposeTestCheckFunc(append(l.checks, remember)...)}}
	if l.update != "" {
		final = l.update
		steps = append(steps, testresource.TestStep{
			Config: l.update, Check: remember,
			ConfigPlanChecks: testresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(l.address, plancheck.ResourceActionUpdate),
			}},
		})
	}
	if l.replace != "" {
		final = l.replace
		steps = append(steps, testresource.TestStep{
			Config: l.replace, Check: remember,
			ConfigPlanChecks: testresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(l.address, plancheck.ResourceActionReplace),
			}},
		})
	}
	// Imports: each form with `terraform import` (state compared attribute by attribute),
	// and the first with an import block (the plan must be a no-op import).
	for i := 0; i < l.forms; i++ {
		form := i
		idFunc := func(s *terraform.State) (string, error) {
			return l.importIDs(s.RootModule().Resources[l.address].Primary)[form], nil
		}
		steps = append(steps, testresource.TestStep{
			Config: final, ResourceName: l.address, ImportState: true, ImportStateVerify: true,
			ImportStateIdFunc: idFunc, ImportStateVerifyIgnore: l.importIgnore,
		})
	}
	steps = append(steps, testresource.TestStep{
		Config: final, ResourceName: l.address, ImportState: true, ImportStateKind: testresource.ImportBlockWithID,
		ImportStateIdFunc: func(s *terraform.State) (string, error) {
			return l.importIDs(s.RootModule().Resources[l.address].Primary)[0], nil
		},
	})
	if l.drift != nil {
		steps = append(steps,
			testresource.TestStep{
				PreConfig: func() {
					if err := l.drift(ctx, apiClient, last); err != nil {
						t.Fatalf("changing %s outside Terraform: %v", l.address, err)
					}
				},
				Config: final, PlanOnly: true, ExpectNonEmptyPlan: true,
			},
			// Apply repairs the drift; the framework's plan after it must be empty.
			testresource.TestStep{Config: final, Check: remember})
	}
	steps = append(steps,
		testresource.TestStep{
			PreConfig: func() {
				if _, err := apiClient.DoJSON(ctx, http.MethodDelete, l.item(last), nil, 0); err != nil {
					t.Fatalf("deleting %s outside Terraform: %v", l.address, err)
				}
			},
			// Gone from the daemon, the object leaves the state and apply makes it again.
			Config: final, Check: remember,
			ConfigPlanChecks: testresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(l.address, plancheck.ResourceActionCreate),
			}},
		})

	testresource.Test(t, testresource.TestCase{
		ProtoV6ProviderFactories: testAccProviderFactories,
		Steps:                    steps,
		CheckDestroy: func(*terraform.State) error {
			answer, err := apiClient.DoJSON(ctx, http.MethodGet, l.item(last), nil, 0)
			if client.IsNotFound(err) || (err == nil && answer["revoked_at"] != nil) {
				return nil
			}
			return fmt.Errorf("%s still exists after destroy (%v)", l.address, err)
		},
	})
}

// attribute is one attribute of the state, "" when absent.
func attribute(state *terraform.InstanceState, name string) string { return state.Attributes[name] }
