package rampartdtest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// Postgres is a throwaway PostgreSQL server for one test: its own cluster in a temp dir,
// listening on a free 127.0.0.1 port with `trust` authentication (user rampart, no password).
// Unlike the C++ suites' server it keeps fsync on: the crash tests kill it and must find
// every commit it acknowledged. Stop and Start restart it on the same port and data, for
// tests of a database outage. A cleanup registered by StartPostgres stops it and removes
// the cluster. Safe for concurrent use.
type Postgres struct {
	t       testing.TB
	bin     string // the directory holding initdb, pg_ctl and psql (pg_config --bindir)
	dir     string // the cluster: data/, the Unix socket, postgres.log
	port    int
	mu      sync.Mutex // guards running
	running bool
}

// StartPostgres creates a cluster (initdb) and starts it (pg_ctl start). initdb refuses to
// run as root: under root, the server runs as the `postgres` user in a directory it owns.
func StartPostgres(t testing.TB) *Postgres {
	t.Helper()
	bin, err := postgresBinDir()
	if err != nil {
		t.Fatal(err)
	}
	// Not t.TempDir(): its parent is private to the test's user, and the server may run as
	// another.
	dir, err := os.MkdirTemp("", "rampart-pg-")
	if err != nil {
		t.Fatal(err)
	}
	p := &Postgres{t: t, bin: bin, dir: dir}
	t.Cleanup(func() {
		p.Stop()
		if t.Failed() {
			t.Logf("postgres log (%s), last lines:\n%s", p.LogPath(), Tail(p.LogPath(), 40))
		}
		_ = os.RemoveAll(dir)
	})
	if os.Geteuid() == 0 {
		owner, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root needs a `postgres` user to own the cluster (install postgresql): %v", err)
		}
		uid, _ := strconv.Atoi(owner.Uid)
		gid, _ := strconv.Atoi(owner.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	if output, err := p.asOwner("initdb", "-D", p.dataDir(), "-A", "trust", "-U", "rampart", "-E", "UTF8",
		"--locale=C", "--no-instructions").CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, output)
	}
	address, err := freeAddress()
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := strings.Cut(address, ":")
	p.port, _ = strconv.Atoi(port)
	p.stopWhenOrphaned()
	p.Start()
	t.Logf("PostgreSQL serving %s", p.URL("postgres"))
	return p
}

// URL returns the postgres:// URL of database db on this server.
func (p *Postgres) URL(db string) string {
	return fmt.Sprintf("postgres://rampart@127.0.0.1:%d/%s", p.port, db)
}

// Port is the port the server listens on (the same across Stop and Start).
func (p *Postgres) Port() int { return p.port }

// LogPath is the server's log file.
func (p *Postgres) LogPath() string { return filepath.Join(p.dir, "postgres.log") }

// CreateDatabase creates an empty database with a fresh name and returns its URL.
func (p *Postgres) CreateDatabase(t testing.TB) string {
	t.Helper()
	random := make([]byte, 8)
	if _, err := rand.Read(random); err != nil {
		t.Fatal(err)
	}
	name := "rt_" + hex.EncodeToString(random)
	p.Query(t, "postgres", "CREATE DATABASE "+name)
	return p.URL(name)
}

// Query runs sql (psql -c) on database, a name on this server or a URL CreateDatabase
// returned, and returns what psql printed, unaligned and without headers: one row a line,
// columns separated by '|'. It fails t when psql fails.
func (p *Postgres) Query(t testing.TB, database, sql string) string {
	t.Helper()
	if !strings.Contains(database, "://") {
		database = p.URL(database)
	}
	command := exec.Command(filepath.Join(p.bin, "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
		"-d", database, "-c", sql)
	var stdout, stderr bytes.Buffer
	command.Stdout, command.Stderr = &stdout, &stderr
	if err := command.Run(); err != nil {
		t.Fatalf("psql %s -c %q: %v\n%s", database, sql, err, stderr.String())
	}
	return strings.TrimRight(stdout.String(), "\n")
}

// Start starts the server again on the same port and data after Stop or Crash (it runs
// crash recovery when needed), and returns once it accepts connections. No-op when running.
func (p *Postgres) Start() {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.running {
		return
	}
	options := fmt.Sprintf("-h 127.0.0.1 -p %d -k '%s' -c max_connections=200", p.port, p.dir)
	if output, err := p.asOwner("pg_ctl", "-w", "-t", "60", "-D", p.dataDir(), "-l", p.LogPath(), "-o", options,
		"start").CombinedOutput(); err != nil {
		p.t.Fatalf("pg_ctl start (port %d): %v\n%s\npostgres log:\n%s", p.port, err, output, Tail(p.LogPath(), 30))
	}
	p.running = true
}

// Stop shuts the server down cleanly (pg_ctl -m fast: open sessions are ended) and returns
// once it is gone. No-op when stopped.
func (p *Postgres) Stop() { p.stop("fast") }

// Crash stops the server as a crash would (pg_ctl -m immediate: no shutdown checkpoint;
// the next Start replays the WAL). No-op when stopped.
func (p *Postgres) Crash() { p.stop("immediate") }

func (p *Postgres) stop(mode string) {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.running {
		return
	}
	if output, err := p.asOwner("pg_ctl", "-w", "-D", p.dataDir(), "-m", mode, "stop").CombinedOutput(); err != nil {
		p.t.Errorf("pg_ctl -m %s stop: %v\n%s", mode, err, output)
		return
	}
	p.running = false
}

func (p *Postgres) dataDir() string { return filepath.Join(p.dir, "data") }

// stopWhenOrphaned starts a detached watchdog that, should this test process die without
// running its cleanups (a -timeout panic, a kill), stops the server and removes the
// cluster: pg_ctl daemonizes postgres, which would otherwise outlive the test run. It ends
// by itself once the cleanup has removed the cluster.
func (p *Postgres) stopWhenOrphaned() {
	pgCtl := `"$3/pg_ctl"`
	if os.Geteuid() == 0 {
		pgCtl = "runuser -u postgres -- " + pgCtl
	}
	script := `while kill -0 "$1" 2>/dev/null && [ -d "$2" ]; do sleep 1; done
[ -d "$2" ] || exit 0
` + pgCtl + ` -D "$2/data" -m immediate -w stop
rm -rf "$2"`
	watchdog := exec.Command("sh", "-c", script, "postgres-watchdog", strconv.Itoa(os.Getpid()), p.dir, p.bin)
	// Its own session, so a signal to the test's process group does not end it first; no
	// stdout or stderr of the test's, so `go test` never waits for it.
	watchdog.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	watchdog.Dir = p.dir
	if err := watchdog.Start(); err != nil {
		p.t.Logf("no watchdog for the PostgreSQL server (it may outlive a killed test): %v", err)
		return
	}
	go func() { _ = watchdog.Wait() }()
}

// asOwner is the command running program (from the server's bin dir) as the user owning
// the cluster: `postgres` under root, else the current user.
func (p *Postgres) asOwner(program string, args ...string) *exec.Cmd {
	path := filepath.Join(p.bin, program)
	var command *exec.Cmd
	if os.Geteuid() == 0 {
		command = exec.Command("runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	} else {
		command = exec.Command(path, args...)
	}
	// The server's user may not be allowed into the test's working directory.
	command.Dir = p.dir
	return command
}

// postgresBinDir is `pg_config --bindir`, where Debian keeps initdb and pg_ctl (off PATH).
func postgresBinDir() (string, error) {
	output, err := exec.Command("pg_config", "--bindir").Output()
	if err != nil {
		return "", fmt.Errorf("pg_config --bindir: %v: install postgresql and libpq-dev (.ci/setup.sh)", err)
	}
	bin := strings.TrimSpace(string(output))
	if _, err := os.Stat(filepath.Join(bin, "initdb")); err != nil {
		return "", fmt.Errorf("no initdb in %s: install the postgresql server package (.ci/setup.sh)", bin)
	}
	return bin, nil
}
