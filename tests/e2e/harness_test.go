package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/rampart-dev/rampart/tests/e2e/rampartdtest"
)

const (
	cliCommandTimeout = 5 * time.Minute
)

// tools are the binaries under test.
type tools struct {
	repoRoot string
	rampartd string
	provider string
	cli      string
}

// findTools resolves the binaries from the environment, failing the test with a clear
// message for whatever is missing.
func findTools(t *testing.T) tools {
	t.Helper()
	var found tools
	var problems []string
	var err error
	if found.repoRoot, err = rampartdtest.RepoRoot(); err != nil {
		problems = append(problems, fmt.Sprintf("cannot find the repository root: %v", err))
	}
	if found.rampartd, err = rampartdtest.Executable("rampartd"); err != nil {
		problems = append(problems, err.Error())
	}
	if found.provider, err = rampartdtest.Executable("terraform-provider-rampart"); err != nil {
		problems = append(problems, err.Error())
	}
	if found.cli, err = rampartdtest.TerraformCLI(); err != nil {
		problems = append(problems, err.Error())
	}
	if len(problems) > 0 {
		t.Fatalf("end-to-end prerequisites missing:\n  %s", strings.Join(problems, "\n  "))
	}
	return found
}

// daemon is a rampartd serving a fresh data directory for one test, with helpers for its
// REST API.
type daemon struct {
	*rampartdtest.Daemon
	t    *testing.T
	http *http.Client
}

func startDaemon(t *testing.T, rampartd string) *daemon {
	t.Helper()
	return &daemon{Daemon: rampartdtest.Start(t, rampartd), t: t, http: &http.Client{Timeout: 30 * time.Second}}
}

// response is one REST answer.
type response struct {
	method, path string
	status       int
	header       http.Header
	body         []byte
}

func (r response) String() string {
	return fmt.Sprintf("%s %s -> %d %s", r.method, r.path, r.status, r.body)
}

// call sends a REST request with the daemon's bootstrap token. body may be nil, a string
// of JSON, or a value for encoding/json. headers come in name, value pairs.
func (d *daemon) call(method, path string, body any, headers ...string) response {
	return d.callWithToken(d.Token, method, path, body, headers...)
}

func (d *daemon) callWithToken(token, method, path string, body any, headers ...string) response {
	d.t.Helper()
	var reader io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		reader = strings.NewReader(b)
	default:
		encoded, err := json.Marshal(b)
		if err != nil {
			d.t.Fatal(err)
		}
		reader = bytes.NewReader(encoded)
	}
	request, err := http.NewRequest(method, d.Endpoint+path, reader)
	if err != nil {
		d.t.Fatal(err)
	}
	if token != "" {
		request.Header.Set("Authorization", "Bearer "+token)
	}
	if reader != nil {
		request.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		request.Header.Set(headers[i], headers[i+1])
	}
	answer, err := d.http.Do(request)
	if err != nil {
		d.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer answer.Body.Close()
	data, err := io.ReadAll(answer.Body)
	if err != nil {
		d.t.Fatalf("%s %s: reading body: %v", method, path, err)
	}
	return response{method: method, path: path, status: answer.StatusCode, header: answer.Header, body: data}
}

// expect calls the API and fails the test unless the status is wantStatus.
func (d *daemon) expect(wantStatus int, method, path string, body any, headers ...string) response {
	d.t.Helper()
	answer := d.call(method, path, body, headers...)
	if answer.status != wantStatus {
		d.t.Fatalf("%v; want status %d", answer, wantStatus)
	}
	return answer
}

// strictDecode unmarshals a daemon answer into a generated message, rejecting any field
// the proto does not declare: the daemon may not drift from the contract.
func strictDecode(t *testing.T, answer response, message proto.Message) {
	t.Helper()
	if err := (protojson.UnmarshalOptions{DiscardUnknown: false}).Unmarshal(answer.body, message); err != nil {
		t.Fatalf("%v\ndoes not decode strictly as %T: %v", answer, message, err)
	}
}

// cli runs one Terraform or OpenTofu binary in one working directory, configured to
// install the provider only from a local filesystem mirror and to reach the daemon
// through the provider's environment fallbacks.
type cli struct {
	t      *testing.T
	binary string
	dir    string
	env    []string
	// quiet logs only the command and its exit code (and the output when expect fails).
	quiet bool
}

// newCLI prepares dir (already holding the configuration) for the CLI: the CLI config
// made by .ci/terraform-cli-config.sh (the same one `make demo` uses), which installs the
// provider build from a local filesystem mirror, and the environment.
//
// A filesystem mirror rather than dev_overrides: with dev_overrides, `init` still asks
// the registry about the overridden provider and fails offline, in Terraform 1.11 and
// OpenTofu 1.10 alike; the mirror makes `init` work as users run it.
func newCLI(t *testing.T, found tools, d *daemon, dir string) *cli {
	t.Helper()
	script := filepath.Join(found.repoRoot, ".ci", "terraform-cli-config.sh")
	output, err := exec.Command(script, filepath.Dir(found.provider), t.TempDir()).Output()
	if err != nil {
		t.Fatalf("%s: %v", script, err)
	}
	cliConfig := strings.TrimSpace(string(output))

	var env []string
	for _, variable := range os.Environ() {
		name, _, _ := strings.Cut(variable, "=")
		if strings.HasPrefix(name, "RAMPART_") || (strings.HasPrefix(name, "TF_") && !strings.HasPrefix(name, "TF_LOG")) {
			continue
		}
		env = append(env, variable)
	}
	env = append(env,
		"TF_CLI_CONFIG_FILE="+cliConfig,
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
		"CHECKPOINT_DISABLE=1",
		"RAMPART_ENDPOINT="+d.Endpoint,
		"RAMPART_TOKEN="+d.Token,
	)
	return &cli{t: t, binary: found.cli, dir: dir, env: env}
}

// run runs the CLI with args and returns its exit code and combined output.
func (c *cli) run(args ...string) (int, string) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), cliCommandTimeout)
	defer cancel()
	command := exec.CommandContext(ctx, c.binary, append(args, "-no-color")...)
	command.Dir = c.dir
	command.Env = c.env
	output, err := command.CombinedOutput()
	code := 0
	if err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			c.t.Fatalf("%s %s: %v", filepath.Base(c.binary), strings.Join(args, " "), err)
		}
		code = exitErr.ExitCode()
	}
	if ctx.Err() != nil {
		c.t.Fatalf("%s %s: no answer within %v\n%s", filepath.Base(c.binary), strings.Join(args, " "), cliCommandTimeout, output)
	}
	if c.quiet {
		c.t.Logf("$ %s %s  (exit %d)", filepath.Base(c.binary), strings.Join(args, " "), code)
	} else {
		c.t.Logf("$ %s %s  (exit %d)\n%s", filepath.Base(c.binary), strings.Join(args, " "), code, indent(string(output)))
	}
	return code, string(output)
}

// expect runs the CLI and fails the test unless it exits with wantCode.
func (c *cli) expect(wantCode int, args ...string) string {
	c.t.Helper()
	code, output := c.run(args...)
	if code != wantCode && c.quiet {
		c.t.Logf("output:\n%s", indent(output))
	}
	if code != wantCode {
		c.t.Fatalf("%s %s exited %d, want %d (output above)", filepath.Base(c.binary), strings.Join(args, " "), code, wantCode)
	}
	return output
}

func indent(text string) string {
	var b strings.Builder
	scanner := bufio.NewScanner(strings.NewReader(text))
	scanner.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for scanner.Scan() {
		b.WriteString("    | ")
		b.WriteString(scanner.Text())
		b.WriteString("\n")
	}
	return b.String()
}

// diagnosticDecorations are the box-drawing characters Terraform frames diagnostics with.
var diagnosticDecorations = strings.NewReplacer("│", " ", "╷", " ", "╵", " ")

var whitespace = regexp.MustCompile(`\s+`)

// normalize undoes the CLI's line wrapping and framing so that text can be searched for
// regardless of terminal width: decorations go and every run of whitespace becomes one
// space.
func normalize(text string) string {
	return strings.TrimSpace(whitespace.ReplaceAllString(diagnosticDecorations.Replace(text), " "))
}

// copyTree copies the regular files under src (skipping Terraform's working files) to dst.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, entry os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		name := entry.Name()
		if entry.IsDir() {
			if name == ".terraform" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if strings.HasPrefix(name, "terraform.tfstate") || name == ".terraform.lock.hcl" || !entry.Type().IsRegular() {
			return nil
		}
		return copyFile(path, filepath.Join(dst, rel), 0o644)
	})
}

func copyFile(src, dst string, mode os.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
