package provider

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// policySchema is rampart_promotion_policy's schema.
func policySchema(t *testing.T) schema.Schema {
	t.Helper()
	resp := &resource.SchemaResponse{}
	newObjectResource(promotionPolicyKind)().Schema(context.Background(), resource.SchemaRequest{}, resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	return resp.Schema
}

// policyValue is a whole rampart_promotion_policy object in Terraform's terms: the given
// attributes, every other one null.
func policyValue(t *testing.T, s schema.Schema, given map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	objectType := s.Type().TerraformType(context.Background()).(tftypes.Object)
	attributes := map[string]tftypes.Value{}
	for name, typ := range objectType.AttributeTypes {
		attributes[name] = tftypes.NewValue(typ, nil)
		if value, ok := given[name]; ok {
			attributes[name] = value
		}
	}
	for name := range given {
		if _, ok := objectType.AttributeTypes[name]; !ok {
			t.Fatalf("no attribute %s", name)
		}
	}
	return tftypes.NewValue(objectType, attributes)
}

func stringSet(values ...string) tftypes.Value {
	elements := make([]tftypes.Value, 0, len(values))
	for _, value := range values {
		elements = append(elements, tftypes.NewValue(tftypes.String, value))
	}
	return tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, elements)
}

// stringValidators runs the validators of a string attribute (nested: "blocked_windows.start").
func stringValidators(t *testing.T, s schema.Schema, attribute, value string) []string {
	t.Helper()
	outer, inner, nested := strings.Cut(attribute, ".")
	found := s.Attributes[outer]
	if nested {
		found = found.(schema.ListNestedAttribute).NestedObject.Attributes[inner]
	}
	var errs []string
	for _, v := range found.(schema.StringAttribute).Validators {
		resp := &validator.StringResponse{}
		v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root(attribute), ConfigValue: types.StringValue(value)}, resp)
		for _, d := range resp.Diagnostics.Errors() {
			errs = append(errs, d.Detail())
		}
	}
	return errs
}

func TestPromotionPolicy_StringsAreValidatedAtPlanTimeLikeTheDaemon(t *testing.T) {
	s := policySchema(t)
	for _, tc := range []struct {
		attribute string
		valid     []string
		invalid   []string
	}{
		{"stage", []string{"staging", "production", "archived"}, []string{"none", "Production", "prod", ""}},
		{"blocked_windows.start", []string{"00:00", "09:30", "23:59", "24:00"}, []string{"9:00", "24:01", "25:00", "12:60", "noon", "12:00:00"}},
		{"blocked_windows.end", []string{"18:00", "24:00"}, []string{"24:30", "1800"}},
		{"blocked_windows.time_zone", []string{"UTC", "Europe/Berlin", "America/New_York"}, []string{"", "Local", "Europe/Berln", "CEST+2"}},
		{"workspace_id", []string{"ws_0123abc"}, []string{"production", "prj_0123"}},
		{"project_id", []string{"prj_0123abc"}, []string{"fraud-detection", "ws_0123"}},
	} {
		for _, value := range tc.valid {
			if errs := stringValidators(t, s, tc.attribute, value); len(errs) != 0 {
				t.Errorf("%s = %q refused: %v", tc.attribute, value, errs)
			}
		}
		for _, value := range tc.invalid {
			if errs := stringValidators(t, s, tc.attribute, value); len(errs) == 0 {
				t.Errorf("%s = %q accepted", tc.attribute, value)
			}
		}
	}
}

func TestPromotionPolicy_SetsAndCountsAreValidatedAtPlanTimeLikeTheDaemon(t *testing.T) {
	s := policySchema(t)
	validateSet := func(attribute schema.Attribute, values ...string) bool {
		var elements []attr.Value
		for _, value := range values {
			elements = append(elements, types.StringValue(value))
		}
		resp := &validator.SetResponse{}
		for _, v := range attribute.(schema.SetAttribute).Validators {
			v.ValidateSet(context.Background(), validator.SetRequest{ConfigValue: types.SetValueMust(types.StringType, elements)}, resp)
		}
		return !resp.Diagnostics.HasError()
	}
	days := s.Attributes["blocked_windows"].(schema.ListNestedAttribute).NestedObject.Attributes["days"]
	if !validateSet(days, "sat", "sun") || validateSet(days, "saturday") || validateSet(days) {
		t.Error("days: want mon..sun, at least one")
	}
	for _, attribute := range []string{"allowed_roles", "approver_roles"} {
		if !validateSet(s.Attributes[attribute], "ml-engineer", "project.admin") || validateSet(s.Attributes[attribute], "role_0123") {
			t.Errorf("%s: want built-in and custom role names, not ids", attribute)
		}
	}
	if !validateSet(s.Attributes["approval_types"], "technical", "business") || validateSet(s.Attributes["approval_types"], "Technical") {
		t.Error("approval_types: want DNS labels")
	}
	if !validateSet(s.Attributes["required_tags"], "validated", "fairness:reviewed") || validateSet(s.Attributes["required_tags"], "-x") {
		t.Error("required_tags: want the daemon's tag rule")
	}
	validateCount := func(attribute string, value int64) bool {
		resp := &validator.Int64Response{}
		for _, v := range s.Attributes[attribute].(schema.Int64Attribute).Validators {
			v.ValidateInt64(context.Background(), validator.Int64Request{ConfigValue: types.Int64Value(value)}, resp)
		}
		return !resp.Diagnostics.HasError()
	}
	if !validateCount("min_approvers", 1) || !validateCount("min_approvers", 20) || validateCount("min_approvers", 0) || validateCount("min_approvers", 21) {
		t.Error("min_approvers: want 1..20")
	}
	if !validateCount("min_description_length", 0) || validateCount("min_description_length", -1) || validateCount("min_description_length", 4097) {
		t.Error("min_description_length: want 0..4096")
	}
}

func TestPromotionPolicy_ApprovalRulesNeedApprovalRequired(t *testing.T) {
	s := policySchema(t)
	for _, tc := range []struct {
		name   string
		given  map[string]tftypes.Value
		refuse []string
	}{
		{"approval rules without approval", map[string]tftypes.Value{
			"approver_roles": stringSet("ml-engineer"), "approval_types": stringSet("technical"),
			"min_approvers": tftypes.NewValue(tftypes.Number, 2),
		}, []string{"approval_types", "approver_roles", "min_approvers"}},
		{"approval rules with approval_required = false", map[string]tftypes.Value{
			"approval_required": tftypes.NewValue(tftypes.Bool, false), "min_approvers": tftypes.NewValue(tftypes.Number, 1),
		}, []string{"min_approvers"}},
		{"empty sets without approval", map[string]tftypes.Value{
			"approver_roles": stringSet(), "approval_types": stringSet(),
		}, nil},
		{"approval rules with approval", map[string]tftypes.Value{
			"approval_required": tftypes.NewValue(tftypes.Bool, true), "approver_roles": stringSet("ml-engineer"),
			"min_approvers": tftypes.NewValue(tftypes.Number, 2),
		}, nil},
		{"approval not known yet", map[string]tftypes.Value{
			"approval_required": tftypes.NewValue(tftypes.Bool, tftypes.UnknownValue), "min_approvers": tftypes.NewValue(tftypes.Number, 2),
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := &resource.ValidateConfigResponse{}
			approvalRulesNeedApproval{}.ValidateResource(context.Background(), resource.ValidateConfigRequest{
				Config: tfsdk.Config{Schema: s, Raw: policyValue(t, s, tc.given)},
			}, resp)
			var refused []string
			for attribute := range errorsAt(resp.Diagnostics) {
				refused = append(refused, attribute)
			}
			slices.Sort(refused)
			if strings.Join(refused, ",") != strings.Join(tc.refuse, ",") {
				t.Errorf("refused %v, want %v (%v)", refused, tc.refuse, resp.Diagnostics)
			}
		})
	}
}

func TestPromotionPolicy_MinApproversDefaultsByApprovalRequired(t *testing.T) {
	s := policySchema(t)
	for _, tc := range []struct {
		approval tftypes.Value
		config   types.Int64
		want     types.Int64
	}{
		{tftypes.NewValue(tftypes.Bool, false), types.Int64Null(), types.Int64Value(0)},
		{tftypes.NewValue(tftypes.Bool, true), types.Int64Null(), types.Int64Value(1)},
		{tftypes.NewValue(tftypes.Bool, true), types.Int64Value(3), types.Int64Value(3)},
		{tftypes.NewValue(tftypes.Bool, tftypes.UnknownValue), types.Int64Null(), types.Int64Unknown()},
	} {
		resp := &planmodifier.Int64Response{PlanValue: tc.config}
		minApproversDefault{}.PlanModifyInt64(context.Background(), planmodifier.Int64Request{
			Path:        path.Root("min_approvers"),
			ConfigValue: tc.config,
			PlanValue:   tc.config,
			Plan:        tfsdk.Plan{Schema: s, Raw: policyValue(t, s, map[string]tftypes.Value{"approval_required": tc.approval})},
		}, resp)
		if resp.Diagnostics.HasError() || !resp.PlanValue.Equal(tc.want) {
			t.Errorf("approval_required %v, min_approvers %v: planned %v (%v), want %v", tc.approval, tc.config, resp.PlanValue, resp.Diagnostics, tc.want)
		}
	}
}

func TestPromotionPolicy_BlockedWindowMayNotStartWhenItEnds(t *testing.T) {
	window := func(start, end string) types.Object {
		return types.ObjectValueMust(blockedWindowTypes, map[string]attr.Value{
			"days": types.SetNull(types.StringType), "start": types.StringValue(start), "end": types.StringValue(end),
			"time_zone": types.StringNull(),
		})
	}
	for _, tc := range []struct {
		start, end string
		ok         bool
	}{{"22:00", "06:00", true}, {"00:00", "24:00", true}, {"09:00", "09:00", false}} {
		resp := &validator.ObjectResponse{}
		windowNotEmpty{}.ValidateObject(context.Background(), validator.ObjectRequest{
			Path: path.Root("blocked_windows").AtListIndex(0), ConfigValue: window(tc.start, tc.end),
		}, resp)
		if resp.Diagnostics.HasError() == tc.ok {
			t.Errorf("%s-%s: %v", tc.start, tc.end, resp.Diagnostics)
		}
	}
}

func TestPromotionPolicyImportID_IsAnIDOrAWorkspaceOrProjectStagePath(t *testing.T) {
	for importID, want := range map[string]string{
		"pp_0123456789abcdef":                                          "v1/promotion_policies/pp_0123456789abcdef",
		"workspaces/production/promotion_policies/staging":             "v1/workspaces/production/promotion_policies/staging",
		"workspaces/ws_1/projects/fraud/promotion_policies/production": "v1/workspaces/ws_1/projects/fraud/promotion_policies/production",
	} {
		got, err := promotionPolicyKind.importPath(importID)
		if err != nil || strings.Join(got, "/") != want {
			t.Errorf("importPath(%q) = %v, %v; want %s", importID, got, err, want)
		}
	}
	for _, importID := range []string{"", "pp_", "production", "promotion_policies/pp_1", "workspaces/w/promotion_policies",
		"workspaces/w/projects/p/promotion_policies", "workspaces/w/stacks/s"} {
		if got, err := promotionPolicyKind.importPath(importID); err == nil {
			t.Errorf("importPath(%q) = %v, want an error", importID, got)
		} else if !strings.Contains(err.Error(), "workspaces/NAME/projects/NAME/promotion_policies/NAME") {
			t.Errorf("importPath(%q): %v does not show the forms", importID, err)
		}
	}
}
