package e2e

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/rampart-dev/rampart/provider-shim/api/rampartv1"
)

// TestContractPrincipalsAndStacks checks that the answers on the user, team, key, stack,
// component and binding routes decode strictly into the types generated from
// proto/rampart/v1, with the references the provider relies on resolved to ids.
func TestContractPrincipalsAndStacks(t *testing.T) {
	found := findTools(t)
	d := startDaemon(t, found.rampartd)

	user := &rampartv1.User{}
	strictDecode(t, d.expect(http.StatusCreated, http.MethodPost, "/v1/users",
		map[string]any{"email": "Dana@Example.com", "display_name": "Dana"}), user)
	if user.GetEmail() != "dana@example.com" || !user.GetActive() || !strings.HasPrefix(user.GetId(), "usr_") {
		t.Fatalf("created user = %v", user)
	}
	account := &rampartv1.ServiceAccount{}
	strictDecode(t, d.expect(http.StatusCreated, http.MethodPost, "/v1/service_accounts",
		map[string]any{"name": "ci-bot"}), account)

	key := &rampartv1.ApiKey{}
	answer := d.expect(http.StatusCreated, http.MethodPost, "/v1/users/dana@example.com/keys", map[string]any{})
	strictDecode(t, answer, key)
	if key.GetUserId() != user.GetId() || key.GetToken() == "" {
		t.Errorf("user key = %v", key)
	}
	keys := &rampartv1.ListApiKeysResponse{}
	strictDecode(t, d.expect(http.StatusOK, http.MethodGet, "/v1/users/"+user.GetId()+"/keys", nil), keys)
	if len(keys.GetItems()) != 1 || keys.GetItems()[0].GetToken() != "" {
		t.Errorf("listed keys = %v, want one without its token", keys)
	}

	team := &rampartv1.Team{}
	strictDecode(t, d.expect(http.StatusCreated, http.MethodPost, "/v1/teams", map[string]any{
		"name": "developers", "members": []string{"user:dana@example.com", account.GetId()}, "idp_groups": []string{"okta-dev"},
	}), team)
	wantMembers := []string{user.GetId(), account.GetId()}
	slices.Sort(wantMembers)
	if !slices.Equal(team.GetMembers(), wantMembers) || !slices.Equal(team.GetIdpGroups(), []string{"okta-dev"}) {
		t.Errorf("team = %v, want members %v", team, wantMembers)
	}
	members := &rampartv1.ListTeamMembersResponse{}
	strictDecode(t, d.expect(http.StatusOK, http.MethodGet, "/v1/teams/developers/members", nil), members)
	strictDecode(t, d.expect(http.StatusOK, http.MethodDelete, "/v1/teams/developers/members/"+account.GetId(), nil), team)
	if !slices.Equal(team.GetMembers(), []string{user.GetId()}) {
		t.Errorf("after removing %s: %v", account.GetId(), team.GetMembers())
	}

	d.expect(http.StatusCreated, http.MethodPost, "/v1/workspaces", map[string]any{"name": "alpha"})
	d.expect(http.StatusCreated, http.MethodPost, "/v1/workspaces/alpha/projects", map[string]any{"name": "recsys"})
	component := &rampartv1.StackComponent{}
	strictDecode(t, d.expect(http.StatusCreated, http.MethodPost, "/v1/workspaces/alpha/components", map[string]any{
		"name": "s3", "type": "artifact_store", "flavor": "s3",
		"configuration": map[string]any{"path": "s3://bucket/prefix", "options": map[string]any{"b": 1, "a": true}},
	}), component)
	if component.GetConfiguration().GetFields()["path"].GetStringValue() != "s3://bucket/prefix" {
		t.Errorf("component = %v", component)
	}
	stack := &rampartv1.Stack{}
	strictDecode(t, d.expect(http.StatusCreated, http.MethodPost, "/v1/workspaces/alpha/stacks", map[string]any{
		"name": "production", "components": map[string]string{"artifact_store": "s3"},
	}), stack)
	if stack.GetComponents()["artifact_store"] != component.GetId() {
		t.Errorf("stack = %v, want its artifact_store resolved to %s", stack, component.GetId())
	}
	binding := &rampartv1.ProjectStack{}
	strictDecode(t, d.expect(http.StatusCreated, http.MethodPost, "/v1/workspaces/alpha/projects/recsys/stacks", map[string]any{
		"stack_id": "production", "quota": map[string]any{"gpu": 2, "memory": "64Gi"},
		"execution_labels": map[string]string{"cluster": "eks-prod"},
	}), binding)
	if binding.GetStackId() != stack.GetId() || binding.GetQuota().GetGpu() != 2 || binding.GetQuota().Cpu != nil {
		t.Errorf("binding = %v", binding)
	}

	for path, message := range map[string]proto.Message{
		"/v1/users":                                                    &rampartv1.ListUsersResponse{},
		"/v1/teams":                                                    &rampartv1.ListTeamsResponse{},
		"/v1/workspaces/alpha/components":                              &rampartv1.ListStackComponentsResponse{},
		"/v1/workspaces/alpha/stacks":                                  &rampartv1.ListStacksResponse{},
		"/v1/workspaces/alpha/projects/recsys/stacks":                  &rampartv1.ListProjectStacksResponse{},
		"/v1/components/" + component.GetId():                          &rampartv1.StackComponent{},
		"/v1/stacks/" + stack.GetId():                                  &rampartv1.Stack{},
		"/v1/project_stacks/" + binding.GetId():                        &rampartv1.ProjectStack{},
		"/v1/workspaces/alpha/projects/recsys/stacks/" + stack.GetId(): &rampartv1.ProjectStack{},
	} {
		strictDecode(t, d.expect(http.StatusOK, http.MethodGet, path, nil), message)
	}

	t.Run("ReferenceErrorsNameTheField", func(t *testing.T) {
		expectError(t, d.call(http.MethodPost, "/v1/workspaces/alpha/stacks", map[string]any{
			"name": "dev", "components": map[string]string{"orchestrator": "s3"},
		}), http.StatusBadRequest, "invalid_argument", "components.orchestrator")
		expectError(t, d.call(http.MethodPost, "/v1/teams", map[string]any{
			"name": "ghosts", "members": []string{"usr_0000000000000000"},
		}), http.StatusUnprocessableEntity, "unprocessable", "members[0]")
		expectError(t, d.call(http.MethodDelete, "/v1/workspaces/alpha/components/s3", nil),
			http.StatusConflict, "conflict", "")
	})
}
