// Command terraform-provider-rampart serves the Rampart Terraform provider to Terraform or
// OpenTofu over the plugin protocol (go-plugin, protocol version 6).
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"runtime/debug"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/rampart-dev/rampart/provider-shim/internal/provider"
)

// Documentation: docs/ is generated from the schema descriptions and examples/ by
// `make docs` (.ci/provider-docs.sh); `make test` fails when it is stale.

// version is set at release time with -ldflags "-X main.version=...".
var version = "dev"

// sdkLogVariables are the environment variables that turn on logs of the plugin SDK and of
// this provider; Terraform and OpenTofu pass theirs (TF_LOG) on to providers.
var sdkLogVariables = []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"}

// quietUnlessAsked turns the plugin SDK's logs off when nobody asked for logs. Unasked, the
// SDK still formats a JSON trace line for every step of every call, which the CLI then
// throws away: a third of the provider's CPU time in a plan of a thousand resources.
func quietUnlessAsked() {
	for _, variable := range sdkLogVariables {
		if os.Getenv(variable) != "" {
			return
		}
	}
	for _, variable := range sdkLogVariables[2:] {
		os.Setenv(variable, "off")
	}
}

func main() {
	quietUnlessAsked()
	// The plugin protocol allocates a lot per call and the heap stays small (tens of MB):
	// collecting garbage less often saves a fifth of the CPU time of a large plan.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	var debug bool
	flag.BoolVar(&debug, "debug", false, "set to true to run the provider with support for debuggers like delve")
	flag.Parse()

	opts := providerserver.ServeOpts{
		Address: "registry.terraform.io/rampart/rampart",
		Debug:   debug,
	}
	if err := providerserver.Serve(context.Background(), provider.New(version), opts); err != nil {
		log.Fatal(err.Error())
	}
}
