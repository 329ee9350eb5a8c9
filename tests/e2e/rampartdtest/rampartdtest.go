// Package rampartdtest runs a real rampartd for a test: a fresh data directory (or a
// PostgreSQL database, see postgres.go), `rampartd bootstrap`, `rampartd serve` on a free
// port, and at cleanup a SIGTERM that must end it with exit status 0. Replicas sharing one
// database, and kills and restarts, are there for the high-availability tests. The
// end-to-end tests and the provider's acceptance tests share it.
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
	"sync"
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
	// LogPath holds the daemon's stdout and stderr (of every run, after Restart too).
	LogPath string
	// DataDir is the daemon's data dir, for the subcommands that read it directly
	// (audit verify, export-state); empty when it serves DatabaseURL.
	DataDir string
	// DatabaseURL is the PostgreSQL database it serves; empty when it serves DataDir.
	DatabaseURL string

	t        testing.TB
	rampartd string
	address  string
	options  Options
	mu       sync.Mutex // guards process
	process  *servedProcess
}

// Options say how StartWith runs rampartd. The zero value is what Start does.
type Options struct {
	// DatabaseURL, when set, is a PostgreSQL database (e.g. Postgres.CreateDatabase) to
	// bootstrap and serve with --database-url instead of a fresh data dir.
	DatabaseURL string
	// ServeArgs are more flags for `rampartd serve`.
	ServeArgs []string
	// Env holds more NAME=value environment variables for `rampartd serve`.
	Env []string
}

// servedProcess is one run of `rampartd serve`.
type servedProcess struct {
	command *exec.Cmd
	exited  chan struct{} // closed once the process is gone
	err     error         // its Wait result, once exited is closed
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
	return StartWith(t, rampartd, Options{})
}

// StartWith is Start with options: a PostgreSQL database instead of a data dir, more
// flags or environment for `rampartd serve`.
func StartWith(t testing.TB, rampartd string, options Options) *Daemon {
	t.Helper()
	d := &Daemon{LogPath: filepath.Join(t.TempDir(), "rampartd.log"), DatabaseURL: options.DatabaseURL,
		t: t, rampartd: rampartd, options: options}
	if d.DatabaseURL == "" {
		d.DataDir = filepath.Join(t.TempDir(), "data")
	}

	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	var stdout, stderr bytes.Buffer
	bootstrap := exec.CommandContext(ctx, rampartd, append(append([]string{"bootstrap"}, d.StoreArgs()...),
		"--organization", "e2e")...)
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
	d.launch()
	return d
}

// StartReplica starts another `rampartd serve` on the database d serves, on a port of its
// own, without bootstrapping again: a second replica, with d's organization and token.
// options.DatabaseURL is ignored. Its cleanup is like Start's.
// REQUIRES: d serves a DatabaseURL.
func (d *Daemon) StartReplica(t testing.TB, options Options) *Daemon {
	t.Helper()
	if d.DatabaseURL == "" {
		t.Fatal("StartReplica needs a daemon serving --database-url: replicas cannot share a data dir")
	}
	options.DatabaseURL = d.DatabaseURL
	replica := &Daemon{Token: d.Token, OrganizationID: d.OrganizationID, DatabaseURL: d.DatabaseURL,
		LogPath: filepath.Join(t.TempDir(), "rampartd.log"), t: t, rampartd: d.rampartd, options: options}
	replica.launch()
	return replica
}

// StoreArgs are the flags naming the daemon's store, for other subcommands: --data-dir DIR
// or --database-url URL.
func (d *Daemon) StoreArgs() []string {
	if d.DatabaseURL != "" {
		return []string{"--database-url", d.DatabaseURL}
	}
	return []string{"--data-dir", d.DataDir}
}

// launch starts `rampartd serve` on a free port, registers the cleanup, and waits until it
// is healthy.
func (d *Daemon) launch() {
	d.t.Helper()
	address, err := freeAddress()
	if err != nil {
		d.t.Fatal(err)
	}
	d.address, d.Endpoint = address, "http://"+address
	d.t.Cleanup(func() {
		d.mu.Lock()
		process := d.process
		d.process = nil
		d.mu.Unlock()
		if process != nil {
			select {
			case <-process.exited:
				d.t.Errorf("rampartd exited before the test ended: %v", process.err)
			default:
				d.terminate(process)
			}
		}
		if d.t.Failed() {
			d.t.Logf("rampartd log (%s), last lines:\n%s", d.LogPath, Tail(d.LogPath, 80))
		}
	})
	d.Restart()
	d.t.Logf("rampartd serving %s (organization %s)", d.Endpoint, d.OrganizationID)
}

// Restart starts `rampartd serve` again on the same address and store, after Kill or Stop,
// and waits until GET /healthz answers 200. No-op while it runs.
func (d *Daemon) Restart() {
	d.t.Helper()
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.process != nil {
		return
	}
	logFile, err := os.OpenFile(d.LogPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		d.t.Fatal(err)
	}
	args := append(append([]string{"serve"}, d.StoreArgs()...), "--listen", d.address)
	serve := exec.Command(d.rampartd, append(args, d.options.ServeArgs...)...)
	serve.Env = append(os.Environ(), d.options.Env...)
	serve.Stdout, serve.Stderr = logFile, logFile
	if err := serve.Start(); err != nil {
		logFile.Close()
		d.t.Fatalf("starting rampartd serve: %v", err)
	}
	process := &servedProcess{command: serve, exited: make(chan struct{})}
	go func() {
		process.err = serve.Wait()
		logFile.Close()
		close(process.exited)
	}()
	d.process = process
	if err := d.waitHealthy(process.exited); err != nil {
		d.t.Fatalf("rampartd serve --listen %s: %v\nlog:\n%s", d.address, err, Tail(d.LogPath, 40))
	}
}

// Kill ends the daemon with SIGKILL, as a crash would, and returns once it is gone.
// Restart brings it back. No-op when it does not run.
func (d *Daemon) Kill() {
	d.t.Helper()
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.process == nil {
		return
	}
	_ = d.process.command.Process.Signal(syscall.SIGKILL)
	<-d.process.exited
	d.process = nil
}

// Stop ends the daemon with SIGTERM and fails the test unless it exits 0 in time.
// Restart brings it back. No-op when it does not run.
func (d *Daemon) Stop() {
	d.t.Helper()
	d.mu.Lock()
	process := d.process
	d.process = nil
	d.mu.Unlock()
	if process != nil {
		d.terminate(process)
	}
}

// terminate sends SIGTERM and waits stopTimeout for exit status 0, else kills it and fails.
func (d *Daemon) terminate(process *servedProcess) {
	d.t.Helper()
	if err := process.command.Process.Signal(syscall.SIGTERM); err != nil {
		d.t.Errorf("sending SIGTERM to rampartd: %v", err)
	}
	select {
	case <-process.exited:
		if process.err != nil {
			d.t.Errorf("rampartd did not exit 0 after SIGTERM: %v", process.err)
		}
	case <-time.After(stopTimeout):
		_ = process.command.Process.Kill()
		<-process.exited
		d.t.Errorf("rampartd still running %v after SIGTERM; killed it", stopTimeout)
	}
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
