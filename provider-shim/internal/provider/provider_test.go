package provider

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/rampart-dev/rampart/provider-shim/internal/client"
	"github.com/rampart-dev/rampart/tests/e2e/rampartdtest"
)

// testAccProviderFactories serves the provider in-process to the CLI that
// terraform-plugin-testing runs.
var testAccProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"rampart": providerserver.NewProtocol6WithError(New("test")()),
}

// testAccSetup prepares an acceptance test and returns a client for checking the daemon
// directly. Acceptance tests run against the daemon named by
// RAMPART_ENDPOINT and RAMPART_TOKEN when both are set, otherwise against a fresh rampartd
// from RAMPART_BIN_DIR (default build/bin). The CLI is TF_ACC_TERRAFORM_PATH, else
// rampartdtest.TerraformCLI(); never a download.
func testAccSetup(t *testing.T) *client.Client {
	t.Helper()
	// terraform-plugin-testing skips without TF_ACC; these tests bring their own daemon,
	// so they always run (and fail with a clear message when a prerequisite is missing).
	if os.Getenv("TF_ACC") == "" {
		t.Setenv("TF_ACC", "1")
	}
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		cli, err := rampartdtest.TerraformCLI()
		if err != nil {
			t.Fatal(err)
		}
		t.Setenv("TF_ACC_TERRAFORM_PATH", cli)
		if strings.HasPrefix(filepath.Base(cli), "tofu") && os.Getenv("TF_ACC_PROVIDER_HOST") == "" {
			t.Setenv("TF_ACC_PROVIDER_HOST", "registry.opentofu.org")
		}
	}
	if os.Getenv(EnvEndpoint) == "" || os.Getenv(EnvToken) == "" {
		rampartd, err := rampartdtest.Executable("rampartd")
		if err != nil {
			t.Fatal(err)
		}
		daemon := rampartdtest.Start(t, rampartd)
		t.Setenv(EnvEndpoint, daemon.Endpoint)
		t.Setenv(EnvToken, daemon.Token)
	}
	apiClient, err := client.New(os.Getenv(EnvEndpoint), os.Getenv(EnvToken))
	if err != nil {
		t.Fatal(err)
	}
	return apiClient
}

func TestProvider_SchemasAreValidAndEveryAttributeIsDescribed(t *testing.T) {
	server, err := testAccProviderFactories["rampart"]()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		t.Errorf("schema diagnostic: %s: %s", d.Summary, d.Detail)
	}
	schemas := map[string]*tfprotov6.Schema{"provider": resp.Provider}
	for name, schema := range resp.ResourceSchemas {
		schemas[name] = schema
	}
	for _, want := range []string{"rampart_workspace", "rampart_project"} {
		if schemas[want] == nil {
			t.Errorf("resource %s missing", want)
		}
	}
	for name, schema := range schemas {
		if name != "provider" && schema.Block.Description == "" {
			t.Errorf("%s has no description", name)
		}
		for _, attribute := range schema.Block.Attributes {
			if attribute.Description == "" || attribute.DescriptionKind != tfprotov6.StringKindMarkdown {
				t.Errorf("%s.%s has no markdown description", name, attribute.Name)
			}
		}
	}
}

// configure runs the provider's Configure with the given provider block values (nil for
// an argument left out).
func configure(t *testing.T, endpoint, token, caFile any) *provider.ConfigureResponse {
	t.Helper()
	ctx := context.Background()
	p := New("test")()
	schemaResp := &provider.SchemaResponse{}
	p.Schema(ctx, provider.SchemaRequest{}, schemaResp)
	raw := tftypes.NewValue(schemaResp.Schema.Type().TerraformType(ctx), map[string]tftypes.Value{
		"endpoint": tftypes.NewValue(tftypes.String, endpoint),
		"token":    tftypes.NewValue(tftypes.String, token),
		"ca_file":  tftypes.NewValue(tftypes.String, caFile),
	})
	resp := &provider.ConfigureResponse{}
	p.Configure(ctx, provider.ConfigureRequest{Config: tfsdk.Config{Schema: schemaResp.Schema, Raw: raw}}, resp)
	return resp
}

func clearProviderEnv(t *testing.T) {
	for _, name := range []string{EnvEndpoint, EnvToken, EnvCAFile} {
		t.Setenv(name, "")
	}
}

// errorsAt returns the summaries of the error diagnostics, keyed by attribute path.
func errorsAt(diags diag.Diagnostics) map[string]string {
	out := map[string]string{}
	for _, d := range diags.Errors() {
		key := ""
		if withPath, ok := d.(diag.DiagnosticWithPath); ok {
			key = withPath.Path().String()
		}
		out[key] = d.Summary()
	}
	return out
}

func TestProviderConfigure_MissingEndpointAndTokenAreReportedOnTheirArguments(t *testing.T) {
	clearProviderEnv(t)
	resp := configure(t, nil, nil, nil)
	got := errorsAt(resp.Diagnostics)
	if got["endpoint"] != "Missing Rampart endpoint" || got["token"] != "Missing Rampart token" || len(got) != 2 {
		t.Errorf("errors = %v, want missing endpoint and token", got)
	}
	for _, d := range resp.Diagnostics.Errors() {
		if !strings.Contains(d.Detail(), "RAMPART_") {
			t.Errorf("%q does not name the environment variable", d.Detail())
		}
	}
	if resp.ResourceData != nil {
		t.Error("a client was configured without endpoint and token")
	}
}

func TestProviderConfigure_FallsBackToEnvironment(t *testing.T) {
	clearProviderEnv(t)
	t.Setenv(EnvEndpoint, "http://127.0.0.1:8080")
	t.Setenv(EnvToken, "rk_from_env")
	resp := configure(t, nil, nil, nil)
	if resp.Diagnostics.HasError() {
		t.Fatalf("diagnostics: %v", resp.Diagnostics)
	}
	if _, ok := resp.ResourceData.(*client.Client); !ok {
		t.Errorf("ResourceData = %T, want *client.Client", resp.ResourceData)
	}
	if _, ok := resp.DataSourceData.(*client.Client); !ok {
		t.Errorf("DataSourceData = %T, want *client.Client", resp.DataSourceData)
	}
}

func TestProviderConfigure_ArgumentsWinOverEnvironment(t *testing.T) {
	clearProviderEnv(t)
	t.Setenv(EnvEndpoint, "not a url")
	resp := configure(t, "http://127.0.0.1:8080", "rk_from_config", nil)
	if resp.Diagnostics.HasError() {
		t.Fatalf("diagnostics: %v", resp.Diagnostics)
	}
}

func TestProviderConfigure_RejectsUnusableValues(t *testing.T) {
	clearProviderEnv(t)
	for _, tc := range []struct {
		name                    string
		endpoint, token, caFile any
		wantPath, wantSummary   string
	}{
		{"endpoint not a URL", "127.0.0.1:8080", "rk", nil, "endpoint", "Invalid Rampart endpoint"},
		{"endpoint unknown", tftypes.UnknownValue, "rk", nil, "endpoint", "Unknown Rampart endpoint"},
		{"token unknown", "http://127.0.0.1:8080", tftypes.UnknownValue, nil, "token", "Unknown Rampart token"},
		{"CA file missing", "https://127.0.0.1:8443", "rk", filepath.Join(t.TempDir(), "none.pem"), "ca_file", "Unusable Rampart CA file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := errorsAt(configure(t, tc.endpoint, tc.token, tc.caFile).Diagnostics)
			if got[tc.wantPath] != tc.wantSummary || len(got) != 1 {
				t.Errorf("errors = %v, want %q on %s", got, tc.wantSummary, tc.wantPath)
			}
		})
	}
}

func TestConfigureClient(t *testing.T) {
	var diags diag.Diagnostics
	if got := configureClient(nil, &diags); got != nil || diags.HasError() {
		t.Errorf("configureClient(nil) = %v, %v; want nil and no error (provider not configured yet)", got, diags)
	}
	if configureClient("something else", &diags); !diags.HasError() {
		t.Error("configureClient accepted provider data that is not a client")
	}
}
