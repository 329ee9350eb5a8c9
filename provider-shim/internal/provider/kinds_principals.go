package provider

import (
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/rampart-dev/rampart/provider-shim/internal/client"
)

// Users, service accounts, their keys, and teams (SPEC section 2).

// emailPattern is the daemon's shape of an email: something@domain.tld, no spaces.
var emailPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

// principalIDValidator accepts the ids of users and service accounts, as team members.
func principalIDValidator() validator.String {
	return stringvalidator.RegexMatches(idPattern("usr", "sa"),
		"must be a user or service account id (usr_... or sa_...), e.g. rampart_user.dana.id")
}

var userKind = func() *objectKind {
	collection, item := topLevel("users")
	attributes := namedObjectAttributes("user", "usr_", "the organization")
	delete(attributes, "name")
	attributes["email"] = schema.StringAttribute{
		MarkdownDescription: "The user's email, unique in the organization; `user:EMAIL` names the user in " +
			"checks. Changing it updates the user in place.",
		Required:   true,
		Validators: []validator.String{stringvalidator.RegexMatches(emailPattern, "must be an email address")},
	}
	attributes["active"] = schema.BoolAttribute{
		MarkdownDescription: "Whether the user may act. An inactive user's keys stop authenticating and its " +
			"grants stop counting, but they are kept. Defaults to `true`.",
		Optional: true,
		Computed: true,
		Default:  booldefault.StaticBool(true),
	}
	fields := []string{"email", "display_name", "description", "labels", "active"}
	return &objectKind{
		typeName: "user",
		noun:     "user",
		description: "A human member of the organization." +
			importHelp("id (`usr_...`)", "name path (`users/dana@example.com`)"),
		attributes: attributes,
		create:     fields,
		update:     fields,
		collection: collection,
		item:       item,
		importPath: importByPath("usr", []string{"v1", "users"}, "users/{}"),
	}
}()

var serviceAccountKind = func() *objectKind {
	collection, item := topLevel("service_accounts")
	return &objectKind{
		typeName: "service_account",
		noun:     "service account",
		description: "A machine principal of the organization (CI, pipelines, services). It acts with " +
			"keys made by `rampart_service_account_key`." +
			importHelp("id (`sa_...`)", "name path (`service_accounts/ci-bot`)"),
		attributes: namedObjectAttributes("service account", "sa_", "the organization"),
		create:     namedFields,
		update:     namedFields,
		collection: collection,
		item:       item,
		importPath: importByPath("sa", []string{"v1", "service_accounts"}, "service_accounts/{}"),
	}
}()

var serviceAccountKeyKind = &objectKind{
	typeName: "service_account_key",
	noun:     "service account key",
	description: "An API key of a service account. Its `secret` is shown by the daemon once, when the key " +
		"is made: Terraform keeps it in the state (sensitive), so protect the state, or make keys outside " +
		"Terraform. Keys cannot change: any change makes a new key and revokes the old one. A key revoked " +
		"outside Terraform is made again on the next apply." +
		importHelp("id (`key_...`)", "path `api_keys/KEY_ID`") +
		" An imported key has no `secret`: the daemon never shows it again.",
	attributes: map[string]schema.Attribute{
		"id": computedString("Server-assigned immutable id (`key_...`)."),
		"service_account_id": referenceAttribute("The service account the key acts as.", "sa",
			"rampart_service_account.ci.id", true),
		"description": schema.StringAttribute{
			MarkdownDescription: "What the key is for. Defaults to empty. Changing it replaces the key.",
			Optional:            true,
			Computed:            true,
			Default:             stringdefault.StaticString(""),
			PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
		},
		"expires_at": schema.StringAttribute{
			MarkdownDescription: "When the key stops authenticating (RFC 3339, e.g. `2027-01-01T00:00:00Z`); " +
				"it must lie in the future. Never, when left out. Changing it replaces the key.",
			Optional:      true,
			PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			Validators:    []validator.String{rfc3339Validator()},
		},
		"secret": schema.StringAttribute{
			MarkdownDescription: "The bearer token (`rmp_key_...`), known only to the apply that made the key.",
			Computed:            true,
			Sensitive:           true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"created_at": computedString("When the key was made (RFC 3339, UTC)."),
		"created_by": computedString("Who made the key (`key:...`, `user:...`)."),
	},
	jsonNames: map[string]string{"secret": "token"},
	create:    []string{"description", "expires_at"},
	instants:  []string{"expires_at"},
	collection: func(v values) []string {
		return []string{"v1", "service_accounts", v.str("service_account_id"), "keys"}
	},
	item:       func(v values) []string { return []string{"v1", "api_keys", v.str("id")} },
	importPath: importByPath("key", []string{"v1", "api_keys"}, "api_keys/{}"),
	gone:       func(answer client.Object) bool { return answer["revoked_at"] != nil },
}

var teamKind = func() *objectKind {
	collection, item := topLevel("teams")
	fields := []string{"name", "display_name", "description", "labels", "members", "idp_groups"}
	return &objectKind{
		typeName: "team",
		noun:     "team",
		description: "A group of users and service accounts; a role assigned to the team reaches every " +
			"member.\n\n" +
			"`members` is authoritative: when set, Terraform makes the team's members exactly that list. " +
			"Leave it out to manage members one by one with `rampart_team_member` instead; never use both " +
			"for the same team, or each apply undoes the other's changes." +
			importHelp("id (`team_...`)", "name path (`teams/developers`)"),
		attributes: withAttributes(namedObjectAttributes("team", "team_", "the organization"), map[string]schema.Attribute{
			"members": authoritativeSet("Ids of the users and service accounts in the team (`usr_...`, "+
				"`sa_...`). When left out, Terraform leaves the members alone.", principalIDValidator()),
			"idp_groups": stringSetAttribute("Identity-provider group names whose members count as team "+
				"members. Defaults to none.", stringvalidator.LengthBetween(1, 256)),
		}),
		create:     fields,
		update:     fields,
		collection: collection,
		item:       item,
		importPath: importByPath("team", []string{"v1", "teams"}, "teams/{}"),
	}
}()
