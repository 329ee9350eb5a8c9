package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/rampart-dev/rampart/provider-shim/internal/client"
)

// dnsLabel is the daemon's rule for every object name (proto/rampart/v1/tenancy.proto).
var dnsLabel = regexp.MustCompile(`^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$`)

// nameValidator checks a name at plan time with the same rule the daemon applies.
func nameValidator() validator.String {
	return stringvalidator.RegexMatches(dnsLabel,
		"must be a DNS label: 1-63 lowercase letters, digits and '-', starting with a letter and not ending with '-'")
}

// configureClient is the Configure step every resource and data source shares: it takes
// the *client.Client the provider built. ProviderData is nil before the provider is
// configured (e.g. during validate); that is not an error.
func configureClient(providerData any, diags *diag.Diagnostics) *client.Client {
	if providerData == nil {
		return nil
	}
	apiClient, ok := providerData.(*client.Client)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *client.Client, got %T. This is a bug in the provider; please report it.", providerData))
		return nil
	}
	return apiClient
}

// schemaTypes is the part of a plan's or state's schema used to tell whether a field the
// daemon blames is one of the resource's attributes.
type schemaTypes interface {
	TypeAtPath(ctx context.Context, p path.Path) (attr.Type, diag.Diagnostics)
}

// addAPIError turns an error from the client into a diagnostic. When the daemon names the
// offending field and it is an attribute of the resource, the diagnostic points at that
// attribute, so Terraform shows the line of configuration at fault.
func addAPIError(ctx context.Context, diags *diag.Diagnostics, schema schemaTypes, summary string, err error) {
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) {
		diags.AddError(summary, err.Error())
		return
	}
	detail := fmt.Sprintf("%s\n\n(rampartd answered %d %s)", apiErr.Message, apiErr.Status, apiErr.Code)
	if apiErr.Status == http.StatusPreconditionFailed {
		detail += "\n\nThe object changed outside Terraform since it was last read. Run plan again to see the change, then apply."
	}
	if attribute, ok := attributePath(ctx, schema, apiErr.Field); ok {
		diags.AddAttributeError(attribute, summary, detail)
		return
	}
	diags.AddError(summary, detail)
}

// attributePath maps a JSON field named by the daemon ("name", "labels",
// "labels.cost_center", "allowed_roles[1]", "blocked_windows[0].start") to the attribute
// path it corresponds to, if any.
func attributePath(ctx context.Context, schema schemaTypes, field string) (path.Path, bool) {
	if field == "" || schema == nil {
		return path.Empty(), false
	}
	root, rest, nested := strings.Cut(field, ".")
	root, index, indexed := strings.Cut(root, "[")
	rootType, diags := schema.TypeAtPath(ctx, path.Root(root))
	if diags.HasError() || rootType == nil {
		return path.Empty(), false
	}
	if _, isMap := rootType.(types.MapType); nested && isMap && rest != "" && !indexed {
		return path.Root(root).AtMapKey(rest), true
	}
	// An element of a list, and the attribute of it the daemon names; an element of a set
	// has no path of its own, so the set stands for it.
	list, isList := rootType.(types.ListType)
	position, err := strconv.Atoi(strings.TrimSuffix(index, "]"))
	if !indexed || !isList || err != nil {
		return path.Root(root), true
	}
	element := path.Root(root).AtListIndex(position)
	object, isObject := list.ElemType.(types.ObjectType)
	name, _, _ := strings.Cut(rest, "[")
	if _, known := object.AttrTypes[name]; nested && isObject && known {
		return element.AtName(name), true
	}
	return element, true
}

// privateState is the part of a request's or response's private state used here.
type privateState interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// revisionKey holds the object's revision in private state: the provider needs it for
// If-Match, but as an attribute it would only add noise to plans.
const revisionKey = "revision"

func setRevision(ctx context.Context, private privateState, revision int64) diag.Diagnostics {
	return private.SetKey(ctx, revisionKey, strconv.AppendInt(nil, revision, 10))
}

// getRevision returns the revision last read, or 0 (no If-Match) when none is recorded.
func getRevision(ctx context.Context, private privateState) (int64, diag.Diagnostics) {
	raw, diags := private.GetKey(ctx, revisionKey)
	if diags.HasError() || len(raw) == 0 {
		return 0, diags
	}
	revision, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil {
		return 0, diags
	}
	return revision, diags
}

// emptyLabels is the labels attribute's default.
func emptyLabels() types.Map {
	return types.MapValueMust(types.StringType, map[string]attr.Value{})
}
