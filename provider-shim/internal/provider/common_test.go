package provider

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/rampart-dev/rampart/provider-shim/internal/client"
)

func workspaceSchema(t *testing.T) schemaTypes {
	t.Helper()
	resp := &resource.SchemaResponse{}
	newObjectResource(workspaceKind)().Schema(context.Background(), resource.SchemaRequest{}, resp)
	return resp.Schema
}

func TestAddAPIError_PointsAtTheAttributeTheDaemonBlames(t *testing.T) {
	schema := workspaceSchema(t)
	for _, tc := range []struct {
		name     string
		err      error
		wantPath string
	}{
		{"field is an attribute", &client.APIError{Status: 409, Code: "already_exists", Message: `name: "alpha" is taken`, Field: "name"}, "name"},
		{"field inside a map", &client.APIError{Status: 400, Code: "invalid_argument", Message: "labels: key too long", Field: "labels.cost_center"}, `labels["cost_center"]`},
		{"field is not an attribute", &client.APIError{Status: 400, Code: "invalid_argument", Message: "colour: unknown field", Field: "colour"}, ""},
		{"no field", &client.APIError{Status: 409, Code: "conflict", Message: "workspace still has projects"}, ""},
		{"not an API error", errors.New("connection refused"), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var diags diag.Diagnostics
			addAPIError(context.Background(), &diags, schema, "Could not create workspace", tc.err)
			if len(diags) != 1 || !diags.HasError() {
				t.Fatalf("diagnostics = %v, want one error", diags)
			}
			got := diags[0]
			gotPath := ""
			if withPath, ok := got.(diag.DiagnosticWithPath); ok {
				gotPath = withPath.Path().String()
			}
			if gotPath != tc.wantPath {
				t.Errorf("path = %q, want %q", gotPath, tc.wantPath)
			}
			var apiErr *client.APIError
			wantDetail := tc.err.Error()
			if errors.As(tc.err, &apiErr) {
				wantDetail = apiErr.Message
			}
			if got.Summary() != "Could not create workspace" || !strings.Contains(got.Detail(), wantDetail) {
				t.Errorf("diagnostic = %q / %q, want the daemon's message %q", got.Summary(), got.Detail(), wantDetail)
			}
		})
	}
}

func TestAttributePath_ListAndSetElementsTheDaemonBlames(t *testing.T) {
	schema := policySchema(t)
	for field, want := range map[string]string{
		"allowed_roles[1]":           "allowed_roles",
		"blocked_windows[2].start":   "blocked_windows[2].start",
		"blocked_windows[0].days[1]": "blocked_windows[0].days",
		"blocked_windows[0]":         "blocked_windows[0]",
		"blocked_windows[0].colour":  "blocked_windows[0]",
		"blocked_windows[x]":         "blocked_windows",
		"labels.team":                `labels["team"]`,
		"min_approvers":              "min_approvers",
	} {
		got, ok := attributePath(context.Background(), schema, field)
		if !ok || got.String() != want {
			t.Errorf("attributePath(%q) = %q, %v; want %q", field, got, ok, want)
		}
	}
	if got, ok := attributePath(context.Background(), schema, "colour[0]"); ok {
		t.Errorf("attributePath(colour[0]) = %q, want none", got)
	}
}

func TestAddAPIError_StaleRevisionSaysToPlanAgain(t *testing.T) {
	var diags diag.Diagnostics
	addAPIError(context.Background(), &diags, workspaceSchema(t), "Could not update workspace",
		&client.APIError{Status: 412, Code: "precondition_failed", Message: "revision 3 is not current (4)"})
	if len(diags) != 1 || !strings.Contains(diags[0].Detail(), "plan again") {
		t.Errorf("diagnostics = %v, want advice to plan again", diags)
	}
}

// fakePrivateState stands in for the framework's private state in tests.
type fakePrivateState map[string][]byte

func (f fakePrivateState) GetKey(_ context.Context, key string) ([]byte, diag.Diagnostics) {
	return f[key], nil
}

func (f fakePrivateState) SetKey(_ context.Context, key string, value []byte) diag.Diagnostics {
	f[key] = value
	return nil
}

func TestRevision_RoundTripsThroughPrivateState(t *testing.T) {
	ctx := context.Background()
	private := fakePrivateState{}
	if got, _ := getRevision(ctx, private); got != 0 {
		t.Errorf("revision before any write = %d, want 0 (no If-Match)", got)
	}
	setRevision(ctx, private, 42)
	if got, _ := getRevision(ctx, private); got != 42 {
		t.Errorf("revision = %d, want 42", got)
	}
}
