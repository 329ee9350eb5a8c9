package provider

import (
	"context"
	"net/http"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/rampart-dev/rampart/provider-shim/internal/client"
)

// Stack components, stacks and the stacks a project may run on (SPEC section 2).

// componentTypes are the daemon's component types (daemon/src/model/stacks_json.cc).
var componentTypes = []string{
	"orchestrator", "artifact_store", "container_registry", "model_registry",
	"step_operator", "experiment_tracker", "model_deployer", "feature_store",
	"data_validator", "alerter", "annotator", "image_builder",
}

var (
	flavorPattern = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,62}$`)
	cpuPattern    = regexp.MustCompile(`^[0-9]{1,6}(\.[0-9]{1,3})?m?$`)
	memoryPattern = regexp.MustCompile(`^[0-9]{1,9}(\.[0-9]{1,3})?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$`)
)

var stackComponentKind = func() *objectKind {
	collection, item := nestedIn("components")
	fields := []string{"name", "display_name", "description", "labels", "flavor", "configuration"}
	return &objectKind{
		typeName: "stack_component",
		noun:     "stack component",
		description: "A piece of ML infrastructure in a workspace (an orchestrator, an artifact store, a " +
			"registry, ...) that stacks combine. A component used by a stack cannot be deleted: the daemon " +
			"names the stacks." +
			importHelp("id (`cmp_...`)", "name path (`workspaces/alpha-workspace/components/s3-artifacts`)"),
		attributes: withAttributes(namedObjectAttributes("stack component", "cmp_", "the workspace"), map[string]schema.Attribute{
			"workspace_id": referenceAttribute("The workspace that holds the component.", "ws",
				"rampart_workspace.example.id", true),
			"type": schema.StringAttribute{
				MarkdownDescription: "What the component is: one of `" + joinCode(componentTypes) + "`. " +
					"Changing it replaces the component.",
				Required:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:    []validator.String{stringvalidator.OneOf(componentTypes...)},
			},
			"flavor": schema.StringAttribute{
				MarkdownDescription: "Which implementation: `kubernetes`, `sagemaker`, `vertex`, `s3`, `gcs`, " +
					"`ecr`, `mlflow`, `local`, ... (1-63 lowercase letters, digits, `-` or `_`).",
				Required: true,
				Validators: []validator.String{stringvalidator.RegexMatches(flavorPattern,
					"must be 1-63 lowercase letters, digits, '-' or '_', starting with a letter")},
			},
			"configuration": schema.StringAttribute{
				MarkdownDescription: "The component's settings as a JSON object, usually `jsonencode({...})`; " +
					"compared by value, so key order and formatting never show as a change. Never a secret: " +
					"a value under a key naming a password, secret, token, private key, API key, access key " +
					"or credential must reference a secret by name, e.g. `{{aws_credentials.secret_access_key}}`. " +
					"Defaults to `{}`.",
				Optional:   true,
				Computed:   true,
				Default:    stringdefault.StaticString("{}"),
				Validators: []validator.String{jsonObjectValidator()},
			},
		}),
		create:     append([]string{"type"}, fields...),
		update:     fields,
		jsonText:   []string{"configuration"},
		collection: collection,
		item:       item,
		importPath: importByPath("cmp", []string{"v1", "components"}, "workspaces/{}/components/{}"),
	}
}()

var stackKind = func() *objectKind {
	collection, item := nestedIn("stacks")
	fields := []string{"name", "display_name", "description", "labels", "components"}
	return &objectKind{
		typeName: "stack",
		noun:     "stack",
		description: "A stack: the components a run uses, one per type, from the stack's workspace. Stacks " +
			"are a scope of their own for role assignments (`stack.read`, `stack.write`, `stack.admin`): " +
			"project roles give nothing on them." +
			importHelp("id (`stk_...`)", "name path (`workspaces/alpha-workspace/stacks/production`)"),
		attributes: withAttributes(namedObjectAttributes("stack", "stk_", "the workspace"), map[string]schema.Attribute{
			"workspace_id": referenceAttribute("The workspace that holds the stack.", "ws",
				"rampart_workspace.example.id", true),
			"components": schema.MapAttribute{
				MarkdownDescription: "Component type -> id of a stack component of that type in the same " +
					"workspace (`cmp_...`), e.g. `{ artifact_store = rampart_stack_component.s3.id }`. " +
					"Defaults to none.",
				ElementType: types.StringType,
				Optional:    true,
				Computed:    true,
				Default:     mapdefault.StaticValue(types.MapValueMust(types.StringType, map[string]attr.Value{})),
				Validators: []validator.Map{
					mapvalidator.KeysAre(stringvalidator.OneOf(componentTypes...)),
					mapvalidator.ValueStringsAre(stringvalidator.RegexMatches(idPattern("cmp"),
						"must be a stack component id (cmp_...), e.g. rampart_stack_component.s3.id")),
				},
			},
		}),
		create:     fields,
		update:     fields,
		collection: collection,
		item:       item,
		importPath: importByPath("stk", []string{"v1", "stacks"}, "workspaces/{}/stacks/{}"),
	}
}()

// quotaTypes are the attributes of a binding's quota.
var quotaTypes = map[string]attr.Type{
	"cpu": types.StringType, "memory": types.StringType, "gpu": types.Int64Type, "max_parallel_runs": types.Int64Type,
}

var projectStackKind = func() *objectKind {
	fields := []string{"display_name", "description", "labels", "quota", "execution_labels"}
	noLimits := types.ObjectValueMust(quotaTypes, map[string]attr.Value{
		"cpu": types.StringNull(), "memory": types.StringNull(), "gpu": types.Int64Null(), "max_parallel_runs": types.Int64Null(),
	})
	attributes := namedObjectAttributes("project stack", "pst_", "")
	delete(attributes, "name")
	return &objectKind{
		typeName: "project_stack",
		noun:     "project stack binding",
		description: "Lets a project run on a stack of its workspace, with the project's quota there and the " +
			"labels its runs carry (cluster, namespace). This is where per-project, per-environment " +
			"settings live." +
			importHelp("id (`pst_...`)",
				"name path (`workspaces/alpha-workspace/projects/recommendation-engine/stacks/production`)"),
		attributes: withAttributes(attributes, map[string]schema.Attribute{
			"project_id": referenceAttribute("The project.", "prj", "rampart_project.example.id", true),
			"stack_id": referenceAttribute("The stack, of the project's workspace.", "stk",
				"rampart_stack.production.id", true),
			"workspace_id": computedString("The workspace of the project and the stack."),
			"quota": schema.SingleNestedAttribute{
				MarkdownDescription: "The project's limits on the stack; a limit left out is no limit.",
				Optional:            true,
				Computed:            true,
				Default:             objectdefault.StaticValue(noLimits),
				Attributes: map[string]schema.Attribute{
					"cpu": schema.StringAttribute{
						MarkdownDescription: "CPU, as a Kubernetes quantity: `\"8\"`, `\"1.5\"`, `\"500m\"`.",
						Optional:            true,
						Validators: []validator.String{stringvalidator.RegexMatches(cpuPattern,
							`must be a CPU quantity such as "8" or "500m"`)},
					},
					"memory": schema.StringAttribute{
						MarkdownDescription: "Memory, as a Kubernetes quantity: `\"64Gi\"`, `\"512Mi\"`.",
						Optional:            true,
						Validators: []validator.String{stringvalidator.RegexMatches(memoryPattern,
							`must be a memory quantity such as "64Gi"`)},
					},
					"gpu":               quotaCount("GPUs."),
					"max_parallel_runs": quotaCount("Runs at once."),
				},
			},
			"execution_labels": schema.MapAttribute{
				MarkdownDescription: "Where the project's runs go on this stack, e.g. `{ cluster = \"gpu-1\", " +
					"namespace = \"reco\" }`. Defaults to none.",
				ElementType: types.StringType,
				Optional:    true,
				Computed:    true,
				Default:     mapdefault.StaticValue(types.MapValueMust(types.StringType, map[string]attr.Value{})),
			},
		}),
		create: append([]string{"stack_id"}, fields...),
		update: fields,
		resolve: func(ctx context.Context, c *client.Client, planned values) error {
			project, err := c.DoJSON(ctx, http.MethodGet, []string{"v1", "projects", planned.str("project_id")}, nil, 0)
			if err != nil {
				return err
			}
			workspace, _ := project["workspace_id"].(string)
			planned["workspace_id"] = types.StringValue(workspace)
			return nil
		},
		collection: func(v values) []string {
			return []string{"v1", "workspaces", v.str("workspace_id"), "projects", v.str("project_id"), "stacks"}
		},
		item: func(v values) []string {
			return []string{"v1", "workspaces", v.str("workspace_id"), "projects", v.str("project_id"), "stacks", v.str("stack_id")}
		},
		importPath: importByPath("pst", []string{"v1", "project_stacks"}, "workspaces/{}/projects/{}/stacks/{}"),
	}
}()

func quotaCount(description string) schema.Int64Attribute {
	return schema.Int64Attribute{
		MarkdownDescription: description + " 0-1000000.",
		Optional:            true,
		Validators:          []validator.Int64{int64validator.Between(0, 1000000)},
	}
}
