package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"time"
	_ "time/tzdata" // time zones are checked the same wherever the provider runs

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Promotion policies (SPEC section 4; proto/rampart/v1/governance.proto). The plan-time
// checks repeat the daemon's (daemon/src/model/governance_json.cc).

// promotionStages are the stages a promotion can target.
var promotionStages = []string{"staging", "production", "archived"}

// weekdays are the day names of a blocked window, in the daemon's (week) order.
var weekdays = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

var (
	// timeOfDay is "HH:MM" from 00:00 to 24:00.
	timeOfDay = regexp.MustCompile(`^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$`)
	// versionTag is a model version's tag: 1-63 letters, digits, '.', '_', ':', '/' or '-',
	// starting with a letter or digit.
	versionTag = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:/-]{0,62}$`)
)

const (
	maxApprovers         = 20
	maxPolicyListEntries = 64 // roles, approval types, required tags
	maxBlockedWindows    = 32
	maxDescriptionLength = 4096
)

// blockedWindowTypes are the attributes of one blocked window.
var blockedWindowTypes = map[string]attr.Type{
	"days":      types.SetType{ElemType: types.StringType},
	"start":     types.StringType,
	"end":       types.StringType,
	"time_zone": types.StringType,
}

// roleNameValidator accepts a built-in role name or a custom role's name (policies name
// roles; the daemon refuses names that exist nowhere).
func roleNameValidator() validator.String {
	return stringvalidator.Any(stringvalidator.OneOf(builtinRoles...), stringvalidator.RegexMatches(dnsLabel,
		"must be a role name: a built-in one (project.admin, ...) or a custom role's, e.g. rampart_role.ml_engineer.name"))
}

var promotionPolicyKind = func() *objectKind {
	collection, item := topLevel("promotion_policies")
	rules := []string{
		"allowed_roles", "approval_required", "min_approvers", "approver_roles", "approval_types", "four_eyes",
		"blocked_windows", "required_tags", "min_description_length", "description", "labels",
	}
	attributes := namedObjectAttributes("promotion policy", "pp_", "")
	delete(attributes, "name")
	delete(attributes, "display_name")
	allDays := make([]attr.Value, 0, len(weekdays))
	for _, day := range weekdays {
		allDays = append(allDays, types.StringValue(day))
	}
	return &objectKind{
		typeName: "promotion_policy",
		noun:     "promotion policy",
		description: "The rules for promoting model versions to one stage (`staging`, `production` or " +
			"`archived`), set on a workspace (the default for its projects) or on a project (which then " +
			"ignores its workspace's policy for that stage): who may request a promotion, whose approval it " +
			"needs, when promotion is blocked and what a version must carry. Without any policy, anyone " +
			"holding `model:promote:<stage>` at the project promotes at once. Managing a policy needs " +
			"`promotion_policy:create|update|delete` at its workspace or project. Its scope and stage " +
			"never change: changing them makes a new policy." +
			importHelp("id (`pp_...`)", "name path (`workspaces/production/promotion_policies/production` "+
				"for a workspace's, `workspaces/production/projects/fraud-detection/promotion_policies/staging` "+
				"for a project's)"),
		attributes: withAttributes(attributes, map[string]schema.Attribute{
			"workspace_id": schema.StringAttribute{
				MarkdownDescription: "The workspace whose projects the policy covers, unless a project has " +
					"a policy of its own for the stage. Exactly one of `workspace_id` and `project_id` is set; " +
					"on a project's policy this is computed (the project's workspace). Takes an id (`ws_...`), " +
					"e.g. `rampart_workspace.example.id`. Changing it replaces the policy.",
				Optional: true,
				Computed: true,
				PlanModifiers: []planmodifier.String{
					stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace(),
				},
				Validators: []validator.String{stringvalidator.RegexMatches(idPattern("ws"),
					"must be an id (ws_...), e.g. rampart_workspace.example.id")},
			},
			"project_id": optionalReference("The project the policy covers; it overrides the workspace's "+
				"policy for the same stage.", "prj", "rampart_project.example.id"),
			"stage": schema.StringAttribute{
				MarkdownDescription: "The stage the policy governs promotion to: `" + joinCode(promotionStages) +
					"`. One policy per scope and stage. Changing it replaces the policy.",
				Required:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:    []validator.String{stringvalidator.OneOf(promotionStages...)},
			},
			"allowed_roles": policyRoles("Roles of which a requester must hold one at the project or above, " +
				"besides `model:promote:<stage>`, by name (`rampart_role.ml_engineer.name`, `project.admin`). " +
				"Defaults to none: anyone holding `model:promote:<stage>` may request."),
			"approval_required": schema.BoolAttribute{
				MarkdownDescription: "Whether a request waits for approvals before it is applied. Defaults " +
					"to `false`: a request is applied at once.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"min_approvers": schema.Int64Attribute{
				MarkdownDescription: "How many distinct principals must approve, 1 to 20; only with " +
					"`approval_required`. Defaults to 1 when approval is required, else 0.",
				Optional:      true,
				Computed:      true,
				PlanModifiers: []planmodifier.Int64{minApproversDefault{}},
				Validators:    []validator.Int64{int64validator.Between(1, maxApprovers)},
			},
			"approver_roles": policyRoles("Roles whose holders may approve, by name; only with " +
				"`approval_required`. Defaults to none: anyone holding `model:approve:<stage>` at the project."),
			"approval_types": schema.SetAttribute{
				MarkdownDescription: "Kinds of approval that must each be given at least once, e.g. " +
					"`[\"technical\", \"business\"]` (DNS labels); an approver says which kind an approval is. " +
					"Only with `approval_required`. Defaults to none.",
				ElementType: types.StringType,
				Optional:    true,
				Computed:    true,
				Default:     setdefault.StaticValue(types.SetValueMust(types.StringType, nil)),
				Validators: []validator.Set{setvalidator.SizeAtMost(maxPolicyListEntries),
					setvalidator.ValueStringsAre(nameValidator())},
			},
			"four_eyes": schema.BoolAttribute{
				MarkdownDescription: "Whether a requester is kept from approving their own request. Defaults to `true`.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(true),
			},
			"blocked_windows": schema.ListNestedAttribute{
				MarkdownDescription: "When promotion is blocked, e.g. weekends or a nightly freeze (at most " +
					"32). A request approved inside a window is applied later, on request. Defaults to none.",
				Optional: true,
				Computed: true,
				Default: listdefault.StaticValue(types.ListValueMust(
					types.ObjectType{AttrTypes: blockedWindowTypes}, []attr.Value{})),
				Validators: []validator.List{listvalidator.SizeAtMost(maxBlockedWindows)},
				NestedObject: schema.NestedAttributeObject{
					Validators: []validator.Object{windowNotEmpty{}},
					Attributes: map[string]schema.Attribute{
						"days": schema.SetAttribute{
							MarkdownDescription: "The days the window starts on: `" + joinCode(weekdays) +
								"`. Defaults to every day.",
							ElementType: types.StringType,
							Optional:    true,
							Computed:    true,
							Default:     setdefault.StaticValue(types.SetValueMust(types.StringType, allDays)),
							Validators: []validator.Set{setvalidator.SizeAtLeast(1),
								setvalidator.ValueStringsAre(stringvalidator.OneOf(weekdays...))},
						},
						"start": timeOfDayAttribute("When the window starts, local time: `HH:MM`."),
						"end": timeOfDayAttribute("When the window ends, local time: `HH:MM`, `24:00` for " +
							"midnight. An end before the start wraps past midnight into the next day."),
						"time_zone": schema.StringAttribute{
							MarkdownDescription: "The IANA time zone of `start` and `end`, e.g. `Europe/Berlin`; " +
								"daylight saving time moves the window as it moves the clocks. Defaults to `UTC`.",
							Optional:   true,
							Computed:   true,
							Default:    stringdefault.StaticString("UTC"),
							Validators: []validator.String{timeZoneValidator{}},
						},
					},
				},
			},
			"required_tags": schema.SetAttribute{
				MarkdownDescription: "Tags a version must carry to be promoted, e.g. `[\"validated\"]`. " +
					"Defaults to none.",
				ElementType: types.StringType,
				Optional:    true,
				Computed:    true,
				Default:     setdefault.StaticValue(types.SetValueMust(types.StringType, nil)),
				Validators: []validator.Set{setvalidator.SizeAtMost(maxPolicyListEntries),
					setvalidator.ValueStringsAre(stringvalidator.RegexMatches(versionTag,
						"must be a tag: 1-63 letters, digits, '.', '_', ':', '/' or '-', starting with a letter or digit"))},
			},
			"min_description_length": schema.Int64Attribute{
				MarkdownDescription: "The least length of a version's description for it to be promoted, " +
					"0 to 4096. Defaults to 0.",
				Optional:   true,
				Computed:   true,
				Default:    int64default.StaticInt64(0),
				Validators: []validator.Int64{int64validator.Between(0, maxDescriptionLength)},
			},
		}),
		create:     append([]string{"workspace_id", "project_id", "stage"}, rules...),
		update:     rules,
		collection: collection,
		item:       item,
		importPath: importByPath("pp", []string{"v1", "promotion_policies"},
			"workspaces/{}/promotion_policies/{}", "workspaces/{}/projects/{}/promotion_policies/{}"),
		configValidators: []resource.ConfigValidator{
			resourcevalidator.ExactlyOneOf(path.MatchRoot("workspace_id"), path.MatchRoot("project_id")),
			approvalRulesNeedApproval{},
		},
	}
}()

// policyRoles is a set of role names.
func policyRoles(description string) schema.SetAttribute {
	attribute := stringSetAttribute(description, roleNameValidator())
	attribute.Validators = append(attribute.Validators, setvalidator.SizeAtMost(maxPolicyListEntries))
	return attribute
}

func timeOfDayAttribute(description string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: description,
		Required:            true,
		Validators: []validator.String{stringvalidator.RegexMatches(timeOfDay,
			`must be a time of day "HH:MM" from 00:00 to 24:00`)},
	}
}

// minApproversDefault plans min_approvers when the configuration leaves it out: 1 when
// approval is required, else 0, as the daemon sets it. (A static default cannot depend on
// approval_required; and keeping the prior value would let a change made outside Terraform
// go unnoticed.)
type minApproversDefault struct{}

func (minApproversDefault) Description(context.Context) string {
	return "Defaults to 1 when approval_required is true, else 0."
}
func (m minApproversDefault) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}
func (minApproversDefault) PlanModifyInt64(ctx context.Context, req planmodifier.Int64Request, resp *planmodifier.Int64Response) {
	if !req.ConfigValue.IsNull() {
		return
	}
	var approvalRequired types.Bool
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("approval_required"), &approvalRequired)...)
	switch {
	case approvalRequired.IsUnknown():
		resp.PlanValue = types.Int64Unknown()
	case approvalRequired.ValueBool():
		resp.PlanValue = types.Int64Value(1)
	default:
		resp.PlanValue = types.Int64Value(0)
	}
}

// approvalRulesNeedApproval refuses approver_roles, approval_types and min_approvers
// without approval_required, as the daemon does.
type approvalRulesNeedApproval struct{}

func (approvalRulesNeedApproval) Description(context.Context) string {
	return "approver_roles, approval_types and min_approvers apply only when approval_required is true"
}
func (v approvalRulesNeedApproval) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}
func (v approvalRulesNeedApproval) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest,
	resp *resource.ValidateConfigResponse) {
	var approvalRequired types.Bool
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("approval_required"), &approvalRequired)...)
	if approvalRequired.IsUnknown() || approvalRequired.ValueBool() {
		return
	}
	refuse := func(attribute string) {
		resp.Diagnostics.AddAttributeError(path.Root(attribute), "Approval rule without approval",
			fmt.Sprintf("%s applies only when approval_required = true.", attribute))
	}
	for _, attribute := range []string{"approver_roles", "approval_types"} {
		var roles types.Set
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(attribute), &roles)...)
		if !roles.IsNull() && (roles.IsUnknown() || len(roles.Elements()) > 0) {
			refuse(attribute)
		}
	}
	var minApprovers types.Int64
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("min_approvers"), &minApprovers)...)
	if !minApprovers.IsNull() {
		refuse("min_approvers")
	}
}

// windowNotEmpty refuses a blocked window that starts when it ends.
type windowNotEmpty struct{}

func (windowNotEmpty) Description(context.Context) string {
	return "a window's end must differ from its start (an end before the start wraps past midnight)"
}
func (v windowNotEmpty) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }
func (v windowNotEmpty) ValidateObject(ctx context.Context, req validator.ObjectRequest, resp *validator.ObjectResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	window := req.ConfigValue.Attributes()
	start, startOK := window["start"].(types.String)
	end, endOK := window["end"].(types.String)
	if !startOK || !endOK || start.IsUnknown() || end.IsUnknown() || start.IsNull() {
		return
	}
	if start.Equal(end) {
		resp.Diagnostics.AddAttributeError(req.Path.AtName("end"), "Empty blocked window", v.Description(ctx)+".")
	}
}

// timeZoneValidator accepts IANA time zone names ("UTC", "Europe/Berlin").
type timeZoneValidator struct{}

func (timeZoneValidator) Description(context.Context) string {
	return "must be an IANA time zone, e.g. UTC or Europe/Berlin"
}
func (v timeZoneValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }
func (v timeZoneValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	zone := req.ConfigValue.ValueString()
	// LoadLocation takes "" for UTC and "Local" for the machine's zone; neither names a zone.
	if _, err := time.LoadLocation(zone); err != nil || slices.Contains([]string{"", "Local"}, zone) {
		resp.Diagnostics.AddAttributeError(req.Path, "Unknown time zone", fmt.Sprintf("%q %s.", zone, v.Description(ctx)))
	}
}
