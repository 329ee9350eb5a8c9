// Package rampartdtest runs a real rampartd for a test: a fresh data directory,
// `rampartd bootstrap`, `rampartd serve` on a free port, and at cleanup a SIGTERM that
// must end it with exit status 0. The end-to-end tests and the provider's acceptance
// tests share it.
package rampartdtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

const (
	startTimeout = 30 * time.Second
	stopTimeout  = 20 * time.Second
)

// Daemon is a running rampartd with one bootstrapped organization.
type Daemon struct {
	// Endpoint is the base URL, e.g. "http://127.0.0.1:41234".
	Endpoint string
	// Token is the organization's first admin API key (also the system administrator's).
	Token string
	// OrganizationID is the bootstrapped organization's id.
	OrganizationID string
	// LogPath holds the daemon's stdout and stderr.
	LogPath string
	// DataDir is the daemon's data dir, for the subcommands that read it directly
	// (audit verify, export-state).
	DataDir string
}

// RepoRoot returns the directory holding go.mod, searching up from the working directory.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// BinDir returns $RAMPART_BIN_DIR, or <repo>/build/bin where `make build` puts rampartd and
// terraform-provider-rampart.
func BinDir() (string, error) {
	if dir := os.Getenv("RAMPART_BIN_DIR"); dir != "" {
		return dir, nil
	}
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	return filepath.Join(root, "build", "bin"), nil
}

// Executable returns the path of name in BinDir, or an error that says how to provide it.
func Executable(name string) (string, error) {
	dir, err := BinDir()
	if err != nil {
		return "", fmt.Errorf("cannot locate the build directory: %w", err)
	}
	path := filepath.Join(dir, name)
	if info, err := os.Stat(path); err != nil || info.IsDir() || info.Mode()&0o111 == 0 {
		return "", fmt.Errorf("%s is missing or not executable: run `make build`, or set RAMPART_BIN_DIR "+
			"to the directory holding rampartd and terraform-provider-rampart", path)
	}
	return path, nil
}

// TerraformCLI is the Terraform-compatible CLI the tests run: RAMPART_TF_CLI (what `make
// test` sets from .ci/terraform-cli.sh), else `tofu`, else `terraform` from PATH, the same
// order as that script.
func TerraformCLI() (string, error) {
	if cli := os.Getenv("RAMPART_TF_CLI"); cli != "" {
		path, err := exec.LookPath(cli)
		if err != nil {
			return "", fmt.Errorf("RAMPART_TF_CLI=%s is not runnable: %v", cli, err)
		}
		return path, nil
	}
	for _, name := range []string{"tofu", "terraform"} {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	return "", errors.New("neither tofu nor terraform is on PATH: install one, set RAMPART_TF_CLI " +
		"to its path, or run .ci/terraform-cli.sh (it builds OpenTofu when needed)")
}

// Start bootstraps organization "e2e" in a fresh data directory, serves it on a free
// 127.0.0.1 port, and waits until GET /healthz answers 200. It registers a cleanup that
// stops the daemon with SIGTERM and fails t unless it exits 0; when t has failed, the
// cleanup logs the end of the daemon's log.
func Start(t testing.TB, rampartd string) *Daemon {
	t.Helper()
	dataDir := filepath.Join(t.TempDir(), "data")
	d := &Daemon{LogPath: filepath.Join(t.TempDir(), "rampartd.log"), DataDir: dataDir}

	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	var stdout, stderr bytes.Buffer
	bootstrap := exec.CommandContext(ctx, rampartd, "bootstrap", "--data-dir", dataDir, "--organization", "e2e")
	bootstrap.Stdout, bootstrap.Stderr = &stdout, &stderr
	if err := bootstrap.Run(); err != nil {
		t.Fatalf("rampartd bootstrap failed: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	var bootstrapped struct {
		OrganizationID string `json:"organization_id"`
		Token          string `json:"token"`
	}
	if err := json.Unmarshal(bytes.TrimSpace(stdout.Bytes()), &bootstrapped); err != nil {
		t.Fatalf("rampartd bootstrap printed %q, want one JSON object: %v", stdout.String(), err)
	}
	if bootstrapped.OrganizationID == "" || bootstrapped.Token == "" {
		t.Fatalf("rampartd bootstrap printed %q, want organization_id and token", stdout.String())
	}
	d.OrganizationID, d.Token = bootstrapped.OrganizationID, bootstrapped.Token

	address, err := freeAddress()
	if err != nil {
		t.Fatal(err)
	}
	d.Endpoint = "http://" + address
	logFile, err := os.Create(d.LogPath)
	if err != nil {
		t.Fatal(err)
	}
	serve := exec.Command(rampartd, "serve", "--data-dir", dataDir, "--listen", address)
	serve.Stdout, serve.Stderr = logFile, logFile
	if err := serve.Start(); err != nil {
		logFile.Close()
		t.Fatalf("starting rampartd serve: %v", err)
	}
	// exited is closed once the process is gone; exitErr is then its Wait result.
	exited := make(chan struct{})
	var exitErr error
	go func() {
		exitErr = serve.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		defer logFile.Close()
		select {
		case <-exited:
			t.Errorf("rampartd exited before the test ended: %v", exitErr)
		default:
			if err := serve.Process.Signal(syscall.SIGTERM); err != nil {
				t.Errorf("sending SIGTERM to rampartd: %v", err)
			}
			select {
			case <-exited:
				if exitErr != nil {
					t.Errorf("rampartd did not exit 0 after SIGTERM: %v", exitErr)
				}
			case <-time.After(stopTimeout):
				_ = serve.Process.Kill()
				<-exited
				t.Errorf("rampartd still running %v after SIGTERM; killed it", stopTimeout)
			}
		}
		if t.Failed() {
			t.Logf("rampartd log (%s), last lines:\n%s", d.LogPath, Tail(d.LogPath, 80))
		}
	})

	if err := d.waitHealthy(exited); err != nil {
		t.Fatalf("rampartd serve --listen %s: %v", address, err)
	}
	t.Logf("rampartd serving %s (organization %s)", d.Endpoint, d.OrganizationID)
	return d
}

// waitHealthy polls GET /healthz until it answers 200, the process exits, or startTimeout
// passes.
func (d *Daemon) waitHealthy(exited <-chan struct{}) error {
	httpClient := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(startTimeout)
	for {
		select {
		case <-exited:
			return errors.New("exited before GET /healthz answered 200")
		default:
		}
		if answer, err := httpClient.Get(d.Endpoint + "/healthz"); err == nil {
			_, _ = io.Copy(io.Discard, answer.Body)
			answer.Body.Close()
			if answer.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("GET /healthz did not answer 200 within %v", startTimeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// freeAddress returns a 127.0.0.1 address with a port nothing listens on right now.
func freeAddress() (string, error) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer listener.Close()
	return listener.Addr().String(), nil
}

// Tail returns the last lines of a file, for failure messages.
func Tail(path string, lines int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(cannot read %s: %v)", path, err)
	}
	all := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	return strings.Join(all[max(0, len(all)-lines):], "\n")
}
