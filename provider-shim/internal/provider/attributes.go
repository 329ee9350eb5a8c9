package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Schema pieces the kinds share.

// idPattern matches an id with one of the prefixes ("ws", "prj"): "ws_..." and so on.
func idPattern(prefixes ...string) *regexp.Regexp {
	return regexp.MustCompile(`^(` + strings.Join(prefixes, "|") + `)_[A-Za-z0-9]+$`)
}

// referenceAttribute is a required id of another object. Only an id: the daemon would
// also take a name, but the state holds the id it answers, so a name would plan a
// replacement on every run. `example` is how a configuration usually gets the id.
func referenceAttribute(description, prefix, example string, replace bool) schema.StringAttribute {
	attribute := schema.StringAttribute{
		MarkdownDescription: description + " Takes an id (`" + prefix + "_...`), e.g. `" + example + "`.",
		Required:            true,
		Validators: []validator.String{stringvalidator.RegexMatches(idPattern(prefix),
			fmt.Sprintf("must be an id (%s_...), e.g. %s", prefix, example))},
	}
	if replace {
		attribute.MarkdownDescription += " Changing it replaces the object."
		attribute.PlanModifiers = []planmodifier.String{stringplanmodifier.RequiresReplace()}
	}
	return attribute
}

// optionalReference is an optional id of another object that cannot change afterwards.
func optionalReference(description, prefix, example string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: description + " Takes an id (`" + prefix + "_...`), e.g. `" + example +
			"`. Changing it replaces the object.",
		Optional:      true,
		PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
		Validators: []validator.String{stringvalidator.RegexMatches(idPattern(prefix),
			fmt.Sprintf("must be an id (%s_...), e.g. %s", prefix, example))},
	}
}

// computedString is a read-only string the daemon sets once (stable: kept across plans).
func computedString(description string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: description,
		Computed:            true,
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
}

// textAttribute is an optional free text that defaults to empty.
func textAttribute(description string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: description + " Defaults to empty.",
		Optional:            true,
		Computed:            true,
		Default:             stringdefault.StaticString(""),
	}
}

// stringSetAttribute is an optional set of strings that defaults to empty.
func stringSetAttribute(description string, elementValidators ...validator.String) schema.SetAttribute {
	return schema.SetAttribute{
		MarkdownDescription: description,
		ElementType:         types.StringType,
		Optional:            true,
		Computed:            true,
		Default:             setdefault.StaticValue(types.SetValueMust(types.StringType, nil)),
		Validators:          []validator.Set{setvalidator.ValueStringsAre(elementValidators...)},
	}
}

// authoritativeSet is a set Terraform manages only when it is configured: left out, it
// keeps whatever the daemon holds (e.g. members added by rampart_team_member).
func authoritativeSet(description string, elementValidators ...validator.String) schema.SetAttribute {
	return schema.SetAttribute{
		MarkdownDescription: description,
		ElementType:         types.StringType,
		Optional:            true,
		Computed:            true,
		PlanModifiers:       []planmodifier.Set{setplanmodifier.UseStateForUnknown()},
		Validators:          []validator.Set{setvalidator.ValueStringsAre(elementValidators...)},
	}
}

// importHelp is the import section of a resource's description.
func importHelp(forms ...string) string {
	return "\n\nImport by " + strings.Join(forms, " or by ") + "."
}

// nestedIn is the name path of a kind nested in a workspace: collection and item paths
// from the workspace id and the object's id.
func nestedIn(collection string) (func(values) []string, func(values) []string) {
	return func(v values) []string {
			return []string{"v1", "workspaces", v.str("workspace_id"), collection}
		}, func(v values) []string {
			return []string{"v1", "workspaces", v.str("workspace_id"), collection, v.str("id")}
		}
}

// topLevel is the collection and item paths of a kind of the organization ("teams").
func topLevel(collection string) (func(values) []string, func(values) []string) {
	return func(values) []string { return []string{"v1", collection} },
		func(v values) []string { return []string{"v1", collection, v.str("id")} }
}

// importByPath reads an import ID as an id with `prefix` (read at byID + id) or as a name
// path shaped like one of patterns ("workspaces/{}/projects/{}"), each {} a name or an id.
// Objects of the organization itself ("teams/{}") may also be named alone ("developers").
func importByPath(prefix string, byID []string, patterns ...string) func(string) ([]string, error) {
	return func(importID string) ([]string, error) {
		if idPattern(prefix).MatchString(importID) {
			return append(append([]string{}, byID...), importID), nil
		}
		for _, pattern := range patterns {
			if segments, ok := matchNamePath(pattern, importID); ok {
				return append([]string{"v1"}, segments...), nil
			}
		}
		forms := make([]string, len(patterns))
		for i, pattern := range patterns {
			forms[i] = strings.ReplaceAll(pattern, "{}", "NAME")
		}
		return nil, fmt.Errorf("%q is neither an id (%s_...) nor a name path (%s)", importID, prefix,
			strings.Join(forms, " or "))
	}
}

// matchNamePath splits importID into the segments of a name path shaped like pattern.
func matchNamePath(pattern, importID string) ([]string, bool) {
	want := strings.Split(pattern, "/")
	got := strings.Split(importID, "/")
	if len(want) == 2 && len(got) == 1 && (dnsLabel.MatchString(importID) || strings.Contains(importID, "@")) {
		got = []string{want[0], importID}
	}
	ok := len(got) == len(want)
	for i := 0; ok && i < len(want); i++ {
		ok = (want[i] == "{}" && got[i] != "") || want[i] == got[i]
	}
	return got, ok
}

// rfc3339Validator accepts RFC 3339 timestamps ("2027-01-01T00:00:00Z").
func rfc3339Validator() validator.String { return rfc3339{} }

type rfc3339 struct{}

func (rfc3339) Description(context.Context) string {
	return "must be an RFC 3339 timestamp, e.g. 2027-01-01T00:00:00Z"
}
func (v rfc3339) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }
func (v rfc3339) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := time.Parse(time.RFC3339Nano, req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid timestamp",
			fmt.Sprintf("%q %s.", req.ConfigValue.ValueString(), v.Description(ctx)))
	}
}

// jsonObjectValidator accepts a JSON object (what jsonencode({...}) writes).
func jsonObjectValidator() validator.String { return jsonObject{} }

type jsonObject struct{}

func (jsonObject) Description(context.Context) string {
	return "must be a JSON object, e.g. jsonencode({ path = \"s3://bucket/prefix\" })"
}
func (v jsonObject) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }
func (v jsonObject) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	var document map[string]any
	if err := json.Unmarshal([]byte(req.ConfigValue.ValueString()), &document); err != nil || document == nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid JSON object", v.Description(ctx)+".")
	}
}

// joinCode lists words for a description: "a`, `b`, `c" (the caller adds the outer backticks).
func joinCode(words []string) string { return strings.Join(words, "`, `") }
