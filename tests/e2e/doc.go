// Package e2e runs the real Terraform or OpenTofu CLI, with the real provider binary,
// against a real rampartd, and checks the daemon's REST answers against the proto
// contract. Nothing is faked and nothing is skipped: a missing prerequisite fails the
// test with a message saying how to provide it.
//
// Environment:
//
//	RAMPART_BIN_DIR  directory holding rampartd and terraform-provider-rampart
//	                 (default: <repo>/build/bin, what `make build` produces)
//	RAMPART_TF_CLI   path to a terraform or tofu binary (default: tofu, else terraform, on PATH)
package e2e
