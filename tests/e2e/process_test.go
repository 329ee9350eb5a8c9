package e2e

import (
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/rampart-dev/rampart/tests/e2e/rampartdtest"
)

// servedProcess is a `rampartd serve` a test starts, kills and restarts itself (the crash
// and TLS tests), where rampartdtest.Start's one daemon per test does not fit.
type servedProcess struct {
	command *exec.Cmd
	logPath string
}

// bootstrapDataDir runs `rampartd bootstrap` and returns the organization's admin token.
func bootstrapDataDir(t *testing.T, rampartd, dataDir string) string {
	t.Helper()
	output, err := exec.Command(rampartd, "bootstrap", "--data-dir", dataDir, "--organization", "e2e").Output()
	if err != nil {
		t.Fatalf("rampartd bootstrap: %v", err)
	}
	var bootstrapped struct{ Token string }
	if err := json.Unmarshal(output, &bootstrapped); err != nil || bootstrapped.Token == "" {
		t.Fatalf("rampartd bootstrap printed %q: %v", output, err)
	}
	return bootstrapped.Token
}

// freeLoopbackAddress returns a 127.0.0.1 address with a port free right now.
func freeLoopbackAddress(t *testing.T) string {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer listener.Close()
	return listener.Addr().String()
}

// startServe starts `rampartd serve ARGS` with extra environment, its output appended to
// logPath, and waits until healthURL answers 200 through client.
func startServe(t *testing.T, rampartd string, args, env []string, logPath string, client *http.Client,
	healthURL string) *servedProcess {
	t.Helper()
	log, err := os.OpenFile(logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	process := &servedProcess{command: exec.Command(rampartd, append([]string{"serve"}, args...)...), logPath: logPath}
	process.command.Env = append(os.Environ(), env...)
	process.command.Stdout, process.command.Stderr = log, log
	if err := process.command.Start(); err != nil {
		t.Fatalf("starting rampartd serve: %v", err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if response, err := client.Get(healthURL); err == nil {
			response.Body.Close()
			if response.StatusCode == http.StatusOK {
				return process
			}
		}
		if time.Now().After(deadline) {
			process.kill()
			t.Fatalf("rampartd serve did not answer %s within 30 s; log:\n%s", healthURL, rampartdtest.Tail(logPath, 40))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (p *servedProcess) kill() {
	if p == nil || p.command == nil {
		return
	}
	_ = p.command.Process.Signal(syscall.SIGKILL)
	_ = p.command.Wait()
	p.command = nil
}
