package e2e

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/rampart-dev/rampart/provider-shim/api/rampartv1"
)

// TestContract checks that rampartd's answers on the tenancy routes are what
// proto/rampart/v1 declares and what the provider relies on: bodies that decode strictly
// into the generated types, ETags, If-Match, and the error shape and codes.
func TestContract(t *testing.T) {
	found := findTools(t)
	d := startDaemon(t, found.rampartd)

	t.Run("MissingOrWrongTokenIsUnauthenticated", func(t *testing.T) {
		for _, token := range []string{"", "rk_not_a_real_key"} {
			answer := d.callWithToken(token, http.MethodGet, "/v1/workspaces", nil)
			expectError(t, answer, http.StatusUnauthorized, "unauthenticated", "")
		}
	})

	t.Run("Organization", func(t *testing.T) {
		organization := &rampartv1.Organization{}
		strictDecode(t, d.expect(http.StatusOK, http.MethodGet, "/v1/organization", nil), organization)
		if organization.GetId() != d.OrganizationID || organization.GetName() != "e2e" {
			t.Errorf("organization = %v, want id %s and name e2e", organization, d.OrganizationID)
		}
	})

	labels := map[string]string{"cost_center": "cc-9", "team": "contract"}
	answer := d.expect(http.StatusCreated, http.MethodPost, "/v1/workspaces", map[string]any{
		"name": "contract", "display_name": "Contract", "description": "d", "labels": labels,
	})
	workspace := &rampartv1.Workspace{}
	checkObject(t, answer, workspace)
	if workspace.GetName() != "contract" || workspace.GetDisplayName() != "Contract" || workspace.GetDescription() != "d" ||
		!maps.Equal(workspace.GetLabels(), labels) || workspace.GetOrganizationId() != d.OrganizationID ||
		!strings.HasPrefix(workspace.GetId(), "ws_") || workspace.GetRevision() != 1 {
		t.Fatalf("created workspace = %v", workspace)
	}

	t.Run("WorkspaceByIdAndByName", func(t *testing.T) {
		for _, ref := range []string{workspace.GetId(), workspace.GetName()} {
			got := &rampartv1.Workspace{}
			checkObject(t, d.expect(http.StatusOK, http.MethodGet, "/v1/workspaces/"+ref, nil), got)
			if got.GetId() != workspace.GetId() || got.GetRevision() != workspace.GetRevision() {
				t.Errorf("GET /v1/workspaces/%s = %v, want %v", ref, got, workspace)
			}
		}
		list := &rampartv1.ListWorkspacesResponse{}
		strictDecode(t, d.expect(http.StatusOK, http.MethodGet, "/v1/workspaces", nil), list)
		if len(list.GetItems()) != 1 || list.GetItems()[0].GetId() != workspace.GetId() {
			t.Errorf("list = %v, want just %s", list, workspace.GetId())
		}
	})

	answer = d.expect(http.StatusCreated, http.MethodPost, "/v1/workspaces/contract/projects", map[string]any{"name": "recsys"})
	project := &rampartv1.Project{}
	checkObject(t, answer, project)
	if project.GetName() != "recsys" || project.GetWorkspaceId() != workspace.GetId() || len(project.GetLabels()) != 0 ||
		!strings.HasPrefix(project.GetId(), "prj_") || project.GetRevision() != 1 {
		t.Fatalf("created project = %v", project)
	}

	t.Run("ProjectByEveryPath", func(t *testing.T) {
		for _, path := range []string{
			"/v1/workspaces/contract/projects/recsys",
			"/v1/workspaces/" + workspace.GetId() + "/projects/" + project.GetId(),
			"/v1/projects/" + project.GetId(),
		} {
			got := &rampartv1.Project{}
			checkObject(t, d.expect(http.StatusOK, http.MethodGet, path, nil), got)
			if got.GetId() != project.GetId() {
				t.Errorf("GET %s = %v, want %s", path, got, project.GetId())
			}
		}
		list := &rampartv1.ListProjectsResponse{}
		strictDecode(t, d.expect(http.StatusOK, http.MethodGet, "/v1/workspaces/contract/projects", nil), list)
		if len(list.GetItems()) != 1 || list.GetItems()[0].GetId() != project.GetId() {
			t.Errorf("list = %v, want just %s", list, project.GetId())
		}
	})

	t.Run("NameTakenIsAlreadyExistsOnName", func(t *testing.T) {
		answer := d.call(http.MethodPost, "/v1/workspaces/contract/projects", map[string]any{"name": "recsys"})
		expectError(t, answer, http.StatusConflict, "already_exists", "name")
		answer = d.call(http.MethodPost, "/v1/workspaces", map[string]any{"name": "contract"})
		expectError(t, answer, http.StatusConflict, "already_exists", "name")
	})

	t.Run("InvalidInputIsInvalidArgumentOnTheField", func(t *testing.T) {
		answer := d.call(http.MethodPost, "/v1/workspaces", map[string]any{"name": "Bad_Name"})
		expectError(t, answer, http.StatusBadRequest, "invalid_argument", "name")
		answer = d.call(http.MethodPost, "/v1/workspaces", map[string]any{"name": "fine", "colour": "blue"})
		expectError(t, answer, http.StatusBadRequest, "invalid_argument", "colour")
		answer = d.call(http.MethodPost, "/v1/workspaces", `{"name": `)
		expectError(t, answer, http.StatusBadRequest, "invalid_argument", "")
	})

	t.Run("MissingObjectIsNotFound", func(t *testing.T) {
		for _, path := range []string{"/v1/workspaces/ghost", "/v1/workspaces/contract/projects/ghost", "/v1/projects/prj_0000000000000000"} {
			expectError(t, d.call(http.MethodGet, path, nil), http.StatusNotFound, "not_found", "")
		}
	})

	t.Run("PatchHonoursIfMatch", func(t *testing.T) {
		path := "/v1/workspaces/" + workspace.GetId()
		stale := strconv.Quote(strconv.FormatInt(workspace.GetRevision()+5, 10))
		answer := d.call(http.MethodPatch, path, map[string]any{"description": "stale"}, "If-Match", stale)
		expectError(t, answer, http.StatusPreconditionFailed, "precondition_failed", "")

		current := strconv.Quote(strconv.FormatInt(workspace.GetRevision(), 10))
		answer = d.expect(http.StatusOK, http.MethodPatch, path,
			map[string]any{"name": "contract", "display_name": "", "description": "patched", "labels": map[string]string{}},
			"If-Match", current)
		patched := &rampartv1.Workspace{}
		checkObject(t, answer, patched)
		if patched.GetRevision() != workspace.GetRevision()+1 || patched.GetDescription() != "patched" ||
			patched.GetDisplayName() != "" || len(patched.GetLabels()) != 0 || patched.GetCreatedAt() != workspace.GetCreatedAt() {
			t.Errorf("after PATCH %v", patched)
		}
		answer = d.call(http.MethodPatch, path, map[string]any{"description": "again"}, "If-Match", current)
		expectError(t, answer, http.StatusPreconditionFailed, "precondition_failed", "")
	})

	t.Run("WorkspaceWithProjectsCannotBeDeleted", func(t *testing.T) {
		expectError(t, d.call(http.MethodDelete, "/v1/workspaces/contract", nil), http.StatusConflict, "conflict", "")
	})

	t.Run("DeleteLeavesNothing", func(t *testing.T) {
		d.expect(http.StatusNoContent, http.MethodDelete, "/v1/workspaces/contract/projects/recsys", nil)
		expectError(t, d.call(http.MethodGet, "/v1/projects/"+project.GetId(), nil), http.StatusNotFound, "not_found", "")
		d.expect(http.StatusNoContent, http.MethodDelete, "/v1/workspaces/contract", nil)
		expectError(t, d.call(http.MethodGet, "/v1/workspaces/contract", nil), http.StatusNotFound, "not_found", "")
		answer := d.expect(http.StatusOK, http.MethodGet, "/v1/workspaces", nil)
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(answer.body, &raw); err != nil || string(raw["items"]) != "[]" {
			t.Errorf(`%v; want {"items": []}`, answer)
		}
	})
}

// objectMessage is a generated workspace or project message.
type objectMessage interface {
	proto.Message
	GetRevision() int64
	GetCreatedAt() string
	GetUpdatedAt() string
}

// checkObject decodes a workspace or project answer strictly into message and checks
// what the proto comments promise beyond the types: every field present (labels as an
// object even when empty), revision a JSON number matching the ETag, timestamps RFC 3339
// in UTC.
func checkObject(t *testing.T, answer response, message objectMessage) {
	t.Helper()
	strictDecode(t, answer, message)
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(answer.body, &raw); err != nil {
		t.Fatalf("%v: %v", answer, err)
	}
	required := []string{"id", "organization_id", "name", "labels", "created_at", "updated_at", "created_by", "revision"}
	if _, isProject := message.(*rampartv1.Project); isProject {
		required = append(required, "workspace_id")
	}
	for _, field := range required {
		if _, present := raw[field]; !present {
			t.Errorf("%v: field %q missing", answer, field)
		}
	}
	if labels := strings.TrimSpace(string(raw["labels"])); !strings.HasPrefix(labels, "{") {
		t.Errorf("%v: labels is %s, want a JSON object", answer, labels)
	}
	if revision := string(raw["revision"]); revision != strconv.FormatInt(message.GetRevision(), 10) {
		t.Errorf("%v: revision is %s, want a JSON number", answer, revision)
	}
	if etag, want := answer.header.Get("ETag"), fmt.Sprintf("%q", strconv.FormatInt(message.GetRevision(), 10)); etag != want {
		t.Errorf("%v: ETag %q, want %s", answer, etag, want)
	}
	for _, timestamp := range []string{message.GetCreatedAt(), message.GetUpdatedAt()} {
		if parsed, err := time.Parse(time.RFC3339Nano, timestamp); err != nil || !strings.HasSuffix(timestamp, "Z") || parsed.IsZero() {
			t.Errorf("%v: timestamp %q is not RFC 3339 in UTC", answer, timestamp)
		}
	}
}

// expectError checks an error answer: the status, and a body that decodes strictly as
// rampart.v1.Error with the code, a message, and (when wantField is set) details.field.
func expectError(t *testing.T, answer response, wantStatus int, wantCode, wantField string) {
	t.Helper()
	if answer.status != wantStatus {
		t.Errorf("%v; want status %d %s", answer, wantStatus, wantCode)
		return
	}
	body := &rampartv1.Error{}
	strictDecode(t, answer, body)
	if body.GetCode() != wantCode || body.GetMessage() == "" {
		t.Errorf("%v; want code %q and a message", answer, wantCode)
	}
	if wantField != "" && body.GetDetails().GetField() != wantField {
		t.Errorf("%v; want details.field %q", answer, wantField)
	}
}
