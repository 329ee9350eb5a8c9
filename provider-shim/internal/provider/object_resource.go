package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/rampart-dev/rampart/provider-shim/internal/client"
)

var (
	_ resource.Resource                     = &objectResource{}
	_ resource.ResourceWithConfigure        = &objectResource{}
	_ resource.ResourceWithImportState      = &objectResource{}
	_ resource.ResourceWithConfigValidators = &objectResource{}
	_ resource.ResourceWithModifyPlan       = &objectResource{}
)

// objectResource is the resource of one objectKind.
type objectResource struct {
	kind   *objectKind
	client *client.Client
}

// newObjectResource is the constructor the provider registers for kind.
func newObjectResource(kind *objectKind) func() resource.Resource {
	return func() resource.Resource { return &objectResource{kind: kind} }
}

func (r *objectResource) Metadata(ctx context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.kind.typeName
}

func (r *objectResource) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{MarkdownDescription: r.kind.description, Attributes: r.kind.attributes}
}

func (r *objectResource) ConfigValidators(ctx context.Context) []resource.ConfigValidator {
	return r.kind.configValidators
}

// ModifyPlan replaces the object when an attribute of replaceUnlessSame names something else.
func (r *objectResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if len(r.kind.replaceUnlessSame) == 0 || req.State.Raw.IsNull() || req.Plan.Raw.IsNull() || r.client == nil {
		return
	}
	planned := readValues(ctx, req.Plan.Get, &resp.Diagnostics)
	prior := readValues(ctx, req.State.Get, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	for attribute, same := range r.kind.replaceUnlessSame {
		value := planned[attribute]
		if value == nil || value.IsUnknown() || value.Equal(prior[attribute]) {
			continue
		}
		equivalent, err := same(ctx, r.client, planned.str(attribute), prior.str(attribute))
		if err != nil {
			addAPIError(ctx, &resp.Diagnostics, req.Plan.Schema, "Could not plan "+r.kind.noun, err)
			return
		}
		if !equivalent {
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root(attribute))
		}
	}
}

func (r *objectResource) Configure(ctx context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = configureClient(req.ProviderData, &resp.Diagnostics)
}

func (r *objectResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	planned := readValues(ctx, req.Plan.Get, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.kind.resolve != nil {
		if err := r.kind.resolve(ctx, r.client, planned); err != nil {
			addAPIError(ctx, &resp.Diagnostics, req.Plan.Schema, "Could not create "+r.kind.noun, err)
			return
		}
	}
	body := client.Object{}
	for _, attribute := range r.kind.create {
		if value := planned[attribute]; value != nil && !value.IsNull() && !value.IsUnknown() {
			body[r.kind.jsonName(attribute)] = r.kind.toJSON(attribute, value)
		}
	}
	method := r.kind.createMethod
	if method == "" {
		method = http.MethodPost
	}
	answer, err := r.client.DoJSON(ctx, method, r.kind.collection(planned), body, 0)
	if err != nil {
		addAPIError(ctx, &resp.Diagnostics, req.Plan.Schema, "Could not create "+r.kind.noun, err)
		return
	}
	r.save(ctx, planned, answer, &resp.State, resp.Private, &resp.Diagnostics)
}

func (r *objectResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	state := readValues(ctx, req.State.Get, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	answer, err := r.read(ctx, state)
	if client.IsNotFound(err) || (err == nil && r.kind.gone != nil && r.kind.gone(answer)) {
		resp.State.RemoveResource(ctx) // deleted outside Terraform: the plan re-creates it
		return
	}
	if err != nil {
		addAPIError(ctx, &resp.Diagnostics, req.State.Schema, "Could not read "+r.kind.noun, err)
		return
	}
	r.save(ctx, state, answer, &resp.State, resp.Private, &resp.Diagnostics)
}

// read reads the object in state: through a batch when it is addressed by its id in its
// collection (a refresh of many objects then makes few requests), else on its own.
func (r *objectResource) read(ctx context.Context, state values) (client.Object, error) {
	item := r.kind.item(state)
	if collection := r.kind.collection(state); slices.Equal(item, append(collection, state.str("id"))) {
		return r.client.ReadInCollection(ctx, collection, state.str("id"))
	}
	return r.client.DoJSON(ctx, http.MethodGet, item, nil, 0)
}

func (r *objectResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	planned := readValues(ctx, req.Plan.Get, &resp.Diagnostics)
	state := readValues(ctx, req.State.Get, &resp.Diagnostics)
	revision, diags := getRevision(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Only what changed: a PATCH that repeats unchanged fields would overwrite changes
	// made meanwhile to fields Terraform does not manage (a team's members, say).
	patch := client.Object{}
	for _, attribute := range r.kind.update {
		value := planned[attribute]
		if value == nil || value.IsUnknown() || value.Equal(state[attribute]) {
			continue
		}
		patch[r.kind.jsonName(attribute)] = r.kind.toJSON(attribute, value)
	}
	var answer client.Object
	var err error
	if len(patch) == 0 {
		answer, err = r.client.DoJSON(ctx, http.MethodGet, r.kind.item(state), nil, 0)
	} else {
		answer, err = r.client.DoJSON(ctx, http.MethodPatch, r.kind.item(state), patch, revision)
	}
	if err != nil {
		addAPIError(ctx, &resp.Diagnostics, req.Plan.Schema, "Could not update "+r.kind.noun, err)
		return
	}
	r.save(ctx, planned, answer, &resp.State, resp.Private, &resp.Diagnostics)
}

func (r *objectResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	if r.kind.forgetOnDelete {
		return
	}
	state := readValues(ctx, req.State.Get, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	// No If-Match: destroy means gone, whatever changed since the last read.
	_, err := r.client.DoJSON(ctx, http.MethodDelete, r.kind.item(state), nil, 0)
	if err != nil && !client.IsNotFound(err) {
		addAPIError(ctx, &resp.Diagnostics, req.State.Schema, "Could not delete "+r.kind.noun, err)
	}
}

func (r *objectResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	segments, err := r.kind.importPath(req.ID)
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Invalid %s import ID", r.kind.noun), err.Error())
		return
	}
	answer, err := r.client.DoJSON(ctx, http.MethodGet, segments, nil, 0)
	if err == nil && r.kind.gone != nil && r.kind.gone(answer) {
		err = fmt.Errorf("%s %q no longer exists", r.kind.noun, req.ID)
	}
	// An id names exactly one object (the organization's singleton is read by its path).
	if id, _ := answer["id"].(string); err == nil && anyID.MatchString(req.ID) && id != req.ID {
		err = fmt.Errorf("%s %q does not exist in the token's organization", r.kind.noun, req.ID)
	}
	if err != nil {
		addAPIError(ctx, &resp.Diagnostics, resp.State.Schema, fmt.Sprintf("Could not import %s %q", r.kind.noun, req.ID), err)
		return
	}
	r.save(ctx, values{}, answer, &resp.State, resp.Private, &resp.Diagnostics)
}

// save makes the daemon's answer the resource's state. An attribute the answer leaves out
// (a key's secret after its creation) keeps its prior value; a JSON document or instant
// that means what the prior value meant keeps the prior spelling, so plans stay empty.
func (r *objectResource) save(ctx context.Context, prior values, answer client.Object, state *tfsdk.State,
	private privateState, diags *diag.Diagnostics) {
	if r.kind.adopt != nil {
		if err := r.kind.adopt(ctx, r.client, prior, answer); err != nil {
			diags.AddError("Could not read "+r.kind.noun, err.Error())
			return
		}
	}
	object, err := r.kind.stateFrom(ctx, state.Schema.Type().(attrObjectType).AttributeTypes(), prior, answer)
	if err != nil {
		diags.AddError("Unexpected answer from rampartd", err.Error())
		return
	}
	diags.Append(state.Set(ctx, object)...)
	if revision, ok := answer["revision"].(json.Number); ok {
		if n, err := revision.Int64(); err == nil {
			diags.Append(setRevision(ctx, private, n)...)
		}
	}
}

// anyID matches the shape of every daemon id ("ws_...", "role_...").
var anyID = regexp.MustCompile(`^[a-z]+_[A-Za-z0-9]+$`)

// attrObjectType is what a schema's type offers: the types of its attributes.
type attrObjectType interface {
	AttributeTypes() map[string]attr.Type
}

// readValues reads a whole plan or state (get is its Get method) as attribute values.
func readValues(ctx context.Context, get func(context.Context, any) diag.Diagnostics, diags *diag.Diagnostics) values {
	var object types.Object
	diags.Append(get(ctx, &object)...)
	return values(object.Attributes())
}

// stateFrom is the object the daemon's answer makes, attribute by attribute (see save).
func (k *objectKind) stateFrom(ctx context.Context, attributeTypes map[string]attr.Type, prior values,
	answer client.Object) (types.Object, error) {
	result := make(map[string]attr.Value, len(attributeTypes))
	for attribute, typ := range attributeTypes {
		raw, present := answer[k.jsonName(attribute)]
		value, err := k.fromJSON(ctx, attribute, typ, raw, present, prior[attribute])
		if err != nil {
			return types.Object{}, fmt.Errorf("the %s's %q could not be read: %w", k.noun, attribute, err)
		}
		result[attribute] = value
	}
	object, diags := types.ObjectValue(attributeTypes, result)
	return object, diagError(diags)
}

// fromJSON is the state value of one attribute given the daemon's answer and the prior value.
func (k *objectKind) fromJSON(ctx context.Context, attribute string, typ attr.Type, raw any, present bool,
	prior attr.Value) (attr.Value, error) {
	priorKnown := prior != nil && !prior.IsUnknown() && !prior.IsNull()
	if !present {
		if prior == nil || prior.IsUnknown() {
			return nullValue(ctx, typ)
		}
		return prior, nil
	}
	if k.isJSONText(attribute) && raw != nil {
		text, err := canonicalJSON(raw)
		if err != nil {
			return nil, err
		}
		if priorKnown && sameJSON(prior.(types.String).ValueString(), text) {
			return prior, nil
		}
		return types.StringValue(text), nil
	}
	value, err := valueFromJSON(ctx, typ, raw)
	if err != nil {
		return nil, err
	}
	if k.isInstant(attribute) && !value.IsNull() {
		answered := value.(types.String).ValueString()
		if priorKnown && sameInstant(prior.(types.String).ValueString(), answered) {
			return prior, nil
		}
		// Without a prior spelling (an import), the one configurations use: no zero fraction.
		if instant, err := time.Parse(time.RFC3339Nano, answered); err == nil {
			return types.StringValue(instant.UTC().Format(time.RFC3339Nano)), nil
		}
	}
	return value, nil
}

// toJSON is the JSON the daemon takes for one attribute's known value.
func (k *objectKind) toJSON(attribute string, value attr.Value) any {
	if k.isJSONText(attribute) && !value.IsNull() {
		var document any
		if err := json.Unmarshal([]byte(value.(types.String).ValueString()), &document); err == nil {
			return document
		}
		// Not JSON: the plan-time validator says so; the daemon names the field as well.
	}
	return valueToJSON(value)
}
