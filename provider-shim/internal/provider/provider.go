// Package provider maps rampartd's REST API onto Terraform resources. It holds no business
// rules the daemon does not also enforce: plan-time validation only repeats the daemon's
// own checks so that mistakes show up before apply.
package provider

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/rampart-dev/rampart/provider-shim/internal/client"
)

// Environment variables read when the provider block leaves an argument out.
const (
	EnvEndpoint = "RAMPART_ENDPOINT"
	EnvToken    = "RAMPART_TOKEN"
	EnvCAFile   = "RAMPART_CA_FILE"
)

var _ provider.Provider = &rampartProvider{}

// New returns the constructor providerserver.Serve needs, for this provider version.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &rampartProvider{version: version}
	}
}

type rampartProvider struct {
	// version is "dev" for local builds, the release version otherwise.
	version string
}

type rampartProviderModel struct {
	Endpoint types.String `tfsdk:"endpoint"`
	Token    types.String `tfsdk:"token"`
	CAFile   types.String `tfsdk:"ca_file"`
}

func (p *rampartProvider) Metadata(ctx context.Context, req provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "rampart"
	resp.Version = p.version
}

func (p *rampartProvider) Schema(ctx context.Context, req provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages a [Rampart](https://github.com/rampart-dev/rampart) organization's " +
			"tenancy and access control through the `rampartd` REST API.",
		Attributes: map[string]schema.Attribute{
			"endpoint": schema.StringAttribute{
				MarkdownDescription: "Base URL of the `rampartd` API, e.g. `http://127.0.0.1:8080`. " +
					"Defaults to the `" + EnvEndpoint + "` environment variable.",
				Optional: true,
			},
			"token": schema.StringAttribute{
				MarkdownDescription: "API key used as the bearer token; it selects the organization. " +
					"Defaults to the `" + EnvToken + "` environment variable.",
				Optional:  true,
				Sensitive: true,
			},
			"ca_file": schema.StringAttribute{
				MarkdownDescription: "Path to a PEM bundle of certificate authorities to trust for an `https` " +
					"endpoint, in addition to the system's. Defaults to the `" + EnvCAFile + "` environment variable.",
				Optional: true,
			},
		},
	}
}

func (p *rampartProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var config rampartProviderModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}

	settings := []struct {
		attribute string
		value     types.String
		env       string
		required  bool
		resolved  string
	}{
		{attribute: "endpoint", value: config.Endpoint, env: EnvEndpoint, required: true},
		{attribute: "token", value: config.Token, env: EnvToken, required: true},
		{attribute: "ca_file", value: config.CAFile, env: EnvCAFile},
	}
	for i := range settings {
		setting := &settings[i]
		if setting.value.IsUnknown() {
			resp.Diagnostics.AddAttributeError(path.Root(setting.attribute),
				fmt.Sprintf("Unknown Rampart %s", setting.attribute),
				fmt.Sprintf("The provider cannot connect to rampartd while %q depends on a value known only after apply. "+
					"Set it to a static value or use the %s environment variable.", setting.attribute, setting.env))
			continue
		}
		setting.resolved = setting.value.ValueString()
		if setting.resolved == "" {
			setting.resolved = os.Getenv(setting.env)
		}
		if setting.required && setting.resolved == "" {
			resp.Diagnostics.AddAttributeError(path.Root(setting.attribute),
				fmt.Sprintf("Missing Rampart %s", setting.attribute),
				fmt.Sprintf("The provider needs the rampartd %s. Set %q in the provider \"rampart\" block "+
					"or the %s environment variable.", setting.attribute, setting.attribute, setting.env))
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}
	endpoint, token, caFile := settings[0].resolved, settings[1].resolved, settings[2].resolved

	httpClient := &http.Client{Timeout: client.DefaultTimeout}
	if caFile != "" {
		transport, err := transportTrusting(caFile)
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("ca_file"), "Unusable Rampart CA file", err.Error())
			return
		}
		httpClient.Transport = transport
	}
	apiClient, err := client.New(endpoint, token,
		client.WithHTTPClient(httpClient),
		client.WithUserAgent(fmt.Sprintf("terraform-provider-rampart/%s", p.version)))
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Invalid Rampart endpoint", err.Error())
		return
	}
	resp.ResourceData = apiClient
	resp.DataSourceData = apiClient
}

func (p *rampartProvider) Resources(ctx context.Context) []func() resource.Resource {
	resources := []func() resource.Resource{NewTeamMemberResource}
	for _, kind := range resourceKinds {
		resources = append(resources, newObjectResource(kind))
	}
	return resources
}

func (p *rampartProvider) DataSources(ctx context.Context) []func() datasource.DataSource {
	return append(dataSourceConstructors(), NewAccessCheckDataSource, NewAccessMatrixDataSource)
}

// resourceKinds are the objects served by the generic resource (SPEC section 7).
var resourceKinds = []*objectKind{
	organizationSettingsKind, workspaceKind, projectKind,
	userKind, serviceAccountKind, serviceAccountKeyKind, teamKind,
	stackComponentKind, stackKind, projectStackKind,
	roleKind, roleAssignmentKind,
	promotionPolicyKind,
}

// transportTrusting returns an HTTP transport that also trusts the CAs in caFile.
func transportTrusting(caFile string) (*http.Transport, error) {
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("reading CA file: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s holds no PEM certificate", caFile)
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	return transport, nil
}
