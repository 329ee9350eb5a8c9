package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// namedObjectAttributes are the attributes every named Rampart object shares (SPEC
// section 2): id, name, display_name, description, labels, created_at, updated_at.
// kind names the object in descriptions ("workspace"), idPrefix is its id's prefix ("ws_")
// and parent says where its name is unique ("the organization"). Resources add their own
// attributes to the returned map.
func namedObjectAttributes(kind, idPrefix, parent string) map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: "Server-assigned immutable id (`" + idPrefix + "...`).",
			Computed:            true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"name": schema.StringAttribute{
			MarkdownDescription: "Name, unique in " + parent + ": a DNS label (1-63 lowercase letters, digits " +
				"and `-`, starting with a letter, not ending with `-`). Renaming updates the " + kind + " in place.",
			Required:   true,
			Validators: []validator.String{nameValidator()},
		},
		"display_name": schema.StringAttribute{
			MarkdownDescription: "Human-friendly name shown in user interfaces. Defaults to empty.",
			Optional:            true,
			Computed:            true,
			Default:             stringdefault.StaticString(""),
		},
		"description": schema.StringAttribute{
			MarkdownDescription: "Free-text description. Defaults to empty.",
			Optional:            true,
			Computed:            true,
			Default:             stringdefault.StaticString(""),
		},
		"labels": schema.MapAttribute{
			MarkdownDescription: "String labels, e.g. for cost attribution (`cost_center`, `team`, " +
				"`environment`). Defaults to none. Terraform manages the whole map.",
			ElementType: types.StringType,
			Optional:    true,
			Computed:    true,
			Default:     mapdefault.StaticValue(emptyLabels()),
		},
		"created_at": schema.StringAttribute{
			MarkdownDescription: "When the " + kind + " was created (RFC 3339, UTC).",
			Computed:            true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"updated_at": schema.StringAttribute{
			MarkdownDescription: "When the " + kind + " last changed (RFC 3339, UTC).",
			Computed:            true,
		},
	}
}

// withAttributes adds a resource's own attributes to the shared ones.
func withAttributes(shared, own map[string]schema.Attribute) map[string]schema.Attribute {
	for name, attribute := range own {
		shared[name] = attribute
	}
	return shared
}
