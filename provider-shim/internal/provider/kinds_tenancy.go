package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// The organization's own settings, workspaces and projects (SPEC section 2).

// namedFields are the attributes of namedObjectAttributes a create sends and an update
// may change.
var namedFields = []string{"name", "display_name", "description", "labels"}

var workspaceKind = func() *objectKind {
	collection, item := topLevel("workspaces")
	return &objectKind{
		typeName: "workspace",
		noun:     "workspace",
		description: "A workspace of the organization: the unit that holds projects, stacks and stack " +
			"components, and a scope for role assignments." +
			importHelp("id (`ws_...`)", "name path (`workspaces/alpha-workspace`)"),
		attributes: namedObjectAttributes("workspace", "ws_", "the organization"),
		create:     namedFields,
		update:     namedFields,
		collection: collection,
		item:       item,
		importPath: importByPath("ws", []string{"v1", "workspaces"}, "workspaces/{}"),
	}
}()

var projectKind = func() *objectKind {
	collection, item := nestedIn("projects")
	return &objectKind{
		typeName: "project",
		noun:     "project",
		description: "A project in a workspace: where pipelines, models and artifacts live, and a scope " +
			"for role assignments." +
			importHelp("id (`prj_...`)", "name path (`workspaces/alpha-workspace/projects/recommendation-engine`)"),
		attributes: withAttributes(namedObjectAttributes("project", "prj_", "the workspace"), map[string]schema.Attribute{
			"workspace_id": referenceAttribute("The workspace that holds the project; a project cannot move.",
				"ws", "rampart_workspace.example.id", true),
		}),
		create:     namedFields,
		update:     namedFields,
		collection: collection,
		item:       item,
		importPath: importByPath("prj", []string{"v1", "projects"}, "workspaces/{}/projects/{}"),
	}
}()

// organizationSettingsKind manages the token's organization itself: there is exactly one,
// so "creating" it changes the existing organization, and destroying it only stops
// Terraform from managing it.
var organizationSettingsKind = func() *objectKind {
	organization := func(values) []string { return []string{"v1", "organization"} }
	attributes := namedObjectAttributes("organization", "org_", "the daemon")
	attributes["name"] = computedString("The organization's name, fixed at its creation (`rampartd bootstrap`).")
	attributes["audit_retention_days"] = schema.Int64Attribute{
		MarkdownDescription: "Days the audit trail keeps an event, 1 to 2557 (7 years); 90 when left out. " +
			"Older events are purged hourly, leaving a checkpoint so that the rest of the hash chain still verifies.",
		Optional:   true,
		Computed:   true,
		Default:    int64default.StaticInt64(90),
		Validators: []validator.Int64{int64validator.Between(1, 2557)},
	}
	return &objectKind{
		typeName: "organization_settings",
		noun:     "organization settings",
		description: "The settings of the organization the provider's token belongs to: its display name, " +
			"description, labels and audit retention. There is one per organization; destroying this resource leaves the " +
			"organization as it is and only stops managing it." +
			importHelp("the name path `organization`", "the organization's id (`org_...`)"),
		attributes:     attributes,
		create:         []string{"display_name", "description", "labels", "audit_retention_days"},
		update:         []string{"display_name", "description", "labels", "audit_retention_days"},
		createMethod:   "PATCH",
		forgetOnDelete: true,
		collection:     organization,
		item:           organization,
		importPath: func(importID string) ([]string, error) {
			if importID == "organization" || idPattern("org").MatchString(importID) {
				return []string{"v1", "organization"}, nil
			}
			return nil, fmt.Errorf("%q is not `organization` or an organization id (org_...)", importID)
		},
	}
}()
