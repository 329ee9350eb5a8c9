package provider

import (
	"context"
	"net/http"
	"regexp"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/rampart-dev/rampart/provider-shim/internal/client"
)

// Custom roles and role assignments (SPEC section 3).

// builtinRoles are the daemon's built-in role names (SPEC section 11).
var builtinRoles = []string{
	"organization.admin", "organization.viewer", "organization.member",
	"workspace.admin", "workspace.member", "workspace.viewer",
	"project.admin", "project.contributor", "project.viewer",
	"stack.admin", "stack.write", "stack.read",
	"viewer", "editor", "admin",
}

// scopeLevels are where a role may be assigned, in the daemon's order.
var scopeLevels = []string{"organization", "workspace", "project", "stack"}

// permissionPattern is the shape of a granted pattern: resource:action[:qualifier], each
// segment a word or `*`, or a trailing `*` alone. The daemon also checks the words against
// its vocabulary (GET /v1/permissions).
var permissionPattern = regexp.MustCompile(`^(\*|[a-z_]+(:(\*|[a-z_]+)){0,2}(:\*)?)$`)

// roleRefValidator accepts a built-in role name or a custom role's id.
func roleRefValidator() validator.String {
	return stringvalidator.Any(stringvalidator.OneOf(builtinRoles...),
		stringvalidator.RegexMatches(idPattern("role"), "must be a built-in role name or a custom role id (role_...)"))
}

var roleKind = func() *objectKind {
	collection, item := topLevel("roles")
	fields := []string{"name", "display_name", "description", "labels", "permissions", "inherits", "assignable_at"}
	allLevels := make([]attr.Value, 0, len(scopeLevels))
	for _, level := range scopeLevels {
		allLevels = append(allLevels, types.StringValue(level))
	}
	return &objectKind{
		typeName: "role",
		noun:     "role",
		description: "A custom role of the organization: a named set of permission patterns, possibly " +
			"inheriting other roles. Built-in roles (`stack.read`, `project.admin`, ...) cannot change; " +
			"read them with the `rampart_role` data source. Making or changing a role needs every " +
			"permission it grants." +
			importHelp("id (`role_...`)", "name path (`roles/data-scientist`)"),
		attributes: withAttributes(namedObjectAttributes("role", "role_", "the organization"), map[string]schema.Attribute{
			"permissions": schema.SetAttribute{
				MarkdownDescription: "Permission patterns: `resource:action[:qualifier]`, where `*` matches " +
					"one segment and a trailing `*` the rest (`pipeline:run`, `model:promote:*`, `*:read`). " +
					"The vocabulary is at `GET /v1/permissions`.",
				ElementType: types.StringType,
				Required:    true,
				Validators: []validator.Set{setvalidator.ValueStringsAre(stringvalidator.RegexMatches(permissionPattern,
					"must be a permission pattern such as pipeline:run, model:promote:* or *:read"))},
			},
			"inherits": stringSetAttribute("Roles whose permissions this role also grants: built-in names or "+
				"custom role ids (`rampart_role.base.id`). Cycles are refused. Defaults to none.", roleRefValidator()),
			"assignable_at": schema.SetAttribute{
				MarkdownDescription: "The scope levels the role may be assigned at: `organization`, " +
					"`workspace`, `project`, `stack`. Defaults to all four.",
				ElementType: types.StringType,
				Optional:    true,
				Computed:    true,
				Default:     setdefault.StaticValue(types.SetValueMust(types.StringType, allLevels)),
				Validators: []validator.Set{setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(stringvalidator.OneOf(scopeLevels...))},
			},
		}),
		create:     fields,
		update:     fields,
		collection: collection,
		item:       item,
		importPath: importByPath("role", []string{"v1", "roles"}, "roles/{}"),
	}
}()

var (
	principalAttributes = []string{"user_id", "team_id", "service_account_id"}
	scopeAttributes     = []string{"workspace_id", "project_id", "stack_id"}
)

var roleAssignmentKind = &objectKind{
	typeName: "role_assignment",
	noun:     "role assignment",
	description: "Grants a role to one principal (a user, a team or a service account) at one scope (the " +
		"organization, a workspace, a project or a stack). Granting needs `role_assignment:create` at the " +
		"scope and every permission the role grants there. Only `expires_at` and `reason` change in place; " +
		"anything else makes a new assignment." +
		importHelp("id (`ra_...`)", "path `role_assignments/RA_ID`") +
		" An import reads a custom role as its id: a configuration naming the role by name shows " +
		"`role` changing to the name once, and applying it changes nothing in rampartd.",
	attributes: map[string]schema.Attribute{
		"id": computedString("Server-assigned immutable id (`ra_...`)."),
		"role": schema.StringAttribute{
			MarkdownDescription: "A built-in role name (`stack.read`, `project.contributor`, ...), or a custom " +
				"role's id or name. Changing it replaces the assignment.",
			Required: true,
			Validators: []validator.String{stringvalidator.Any(roleRefValidator(),
				stringvalidator.RegexMatches(dnsLabel, "must be a role name or id"))},
		},
		"user_id":            optionalReference("The user granted the role; exactly one principal is set.", "usr", "rampart_user.dana.id"),
		"team_id":            optionalReference("The team granted the role: every member holds it.", "team", "rampart_team.developers.id"),
		"service_account_id": optionalReference("The service account granted the role.", "sa", "rampart_service_account.ci.id"),
		"workspace_id":       optionalReference("The workspace the role is granted on; at most one scope is set, none meaning the organization.", "ws", "rampart_workspace.example.id"),
		"project_id":         optionalReference("The project the role is granted on.", "prj", "rampart_project.example.id"),
		"stack_id":           optionalReference("The stack the role is granted on.", "stk", "rampart_stack.production.id"),
		"expires_at": schema.StringAttribute{
			MarkdownDescription: "When the grant ends (RFC 3339, e.g. `2027-01-01T00:00:00Z`); it must lie in " +
				"the future. Never, when left out.",
			Optional:   true,
			Validators: []validator.String{rfc3339Validator()},
		},
		"reason":     textAttribute("Why the role is granted (a ticket, a request), kept for audits."),
		"scope_type": computedString("`organization`, `workspace`, `project` or `stack`."),
		"granted_by": computedString("Who granted it (`user:...`, `key:...`)."),
		"granted_at": computedString("When it was granted (RFC 3339, UTC)."),
	},
	create:     append(append([]string{"role", "expires_at", "reason"}, principalAttributes...), scopeAttributes...),
	update:     []string{"expires_at", "reason"},
	instants:   []string{"expires_at"},
	collection: func(values) []string { return []string{"v1", "role_assignments"} },
	item:       func(v values) []string { return []string{"v1", "role_assignments", v.str("id")} },
	importPath: importByPath("ra", []string{"v1", "role_assignments"}, "role_assignments/{}"),
	adopt:      keepConfiguredRoleName,
	replaceUnlessSame: map[string]func(context.Context, *client.Client, string, string) (bool, error){
		"role": sameRole,
	},
	configValidators: []resource.ConfigValidator{
		resourcevalidator.ExactlyOneOf(paths(principalAttributes)...),
		resourcevalidator.Conflicting(paths(scopeAttributes)...),
	},
}

// keepConfiguredRoleName puts back a custom role's name where the configuration names the
// role and the daemon answers its id.
func keepConfiguredRoleName(ctx context.Context, c *client.Client, prior values, answer client.Object) error {
	configured, answered := prior.str("role"), answer["role"]
	if configured == "" || configured == answered || !dnsLabel.MatchString(configured) {
		return nil
	}
	role, err := c.DoJSON(ctx, http.MethodGet, []string{"v1", "roles", configured}, nil, 0)
	if client.IsNotFound(err) {
		return nil // renamed or deleted: the id stands, and the plan shows the difference
	}
	if err != nil {
		return err
	}
	if role["id"] == answered {
		answer["role"] = configured
	}
	return nil
}

// sameRole reports whether two role references (a built-in name, a custom role's id or
// name) name the same role.
func sameRole(ctx context.Context, c *client.Client, a, b string) (bool, error) {
	resolve := func(ref string) (string, error) {
		if slices.Contains(builtinRoles, ref) || idPattern("role").MatchString(ref) {
			return ref, nil
		}
		role, err := c.DoJSON(ctx, http.MethodGet, []string{"v1", "roles", ref}, nil, 0)
		if client.IsNotFound(err) {
			return ref, nil // a role about to be made: not the same as any existing one
		}
		if err != nil {
			return "", err
		}
		id, _ := role["id"].(string)
		return id, nil
	}
	left, err := resolve(a)
	if err != nil {
		return false, err
	}
	right, err := resolve(b)
	return err == nil && left == right, err
}

func paths(attributes []string) []path.Expression {
	expressions := make([]path.Expression, 0, len(attributes))
	for _, attribute := range attributes {
		expressions = append(expressions, path.MatchRoot(attribute))
	}
	return expressions
}
