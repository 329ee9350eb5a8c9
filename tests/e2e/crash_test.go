package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rampart-dev/rampart/tests/e2e/rampartdtest"
)

// Crash safety: writers drive creates, updates and role assignments over HTTP while
// rampartd is killed with SIGKILL at random moments and restarted. The kill is a power cut:
// tests/powerloss/unsynced_writes.c, preloaded into rampartd, keeps every write the daemon
// did not fsync in memory, so the kill loses it. After every restart, every acknowledged write
// must be there, nothing unacknowledged may be half there, the database must pass
// PRAGMA integrity_check, the authorization index must agree with the store, and the audit
// chain must verify.
//
// RAMPART_CRASH_CYCLES sets the number of kills (default 10, the CI setting; the long setting
// is 50 or more).

const crashWorkers = 4

func crashCycles(t *testing.T) int {
	cycles := 10
	if value := os.Getenv("RAMPART_CRASH_CYCLES"); value != "" {
		parsed, err := strconv.Atoi(value)
		if err != nil || parsed < 1 {
			t.Fatalf("RAMPART_CRASH_CYCLES=%q: want a positive number of kills", value)
		}
		cycles = parsed
	}
	return cycles
}

func TestCrashSafetyUnderKillsThatActAsPowerCuts(t *testing.T) {
	run := newCrashRun(t, nil)
	cycles := crashCycles(t)
	for cycle := 1; cycle <= cycles; cycle++ {
		run.cycle()
		if problems := run.verify(); len(problems) > 0 {
			t.Fatalf("after kill %d of %d:\n  %s", cycle, cycles, strings.Join(problems, "\n  "))
		}
	}
	t.Logf("crash: %d kills, %d acknowledged writes (workspace creates and updates, role assignments), all present",
		cycles, run.model.acknowledged())
}

// The same kills with `--fsync never` must lose acknowledged writes, or the test above
// proves nothing.
func TestCrashSafetyCatchesANonDurableSetting(t *testing.T) {
	run := newCrashRun(t, []string{"--fsync", "never"})
	for cycle := 1; cycle <= 3; cycle++ {
		run.cycle()
		if problems := run.verify(); len(problems) > 0 {
			t.Logf("--fsync never lost acknowledged writes after kill %d, as it must:\n  %s", cycle,
				strings.Join(problems[:min(3, len(problems))], "\n  "))
			return
		}
	}
	t.Fatal("3 kills with --fsync never lost no acknowledged write: the crash test cannot see lost writes")
}

// crashRun is one data dir, the daemon serving it (restarted after each kill), and what the
// writers were told.
type crashRun struct {
	t        *testing.T
	tools    tools
	shim     string
	dataDir  string
	address  string
	token    string
	args     []string
	process  *servedProcess
	logPath  string
	model    *crashModel
	http     *http.Client
	random   *rand.Rand
	sequence int
}

func newCrashRun(t *testing.T, args []string) *crashRun {
	t.Helper()
	found := findTools(t)
	if _, err := exec.LookPath("sqlite3"); err != nil {
		t.Fatal("the sqlite3 CLI is needed for PRAGMA integrity_check: run `make setup`")
	}
	work := t.TempDir()
	run := &crashRun{
		t: t, tools: found, dataDir: filepath.Join(work, "data"), args: args,
		logPath: filepath.Join(work, "rampartd.log"), model: newCrashModel(),
		http:   &http.Client{Timeout: 10 * time.Second},
		random: rand.New(rand.NewSource(time.Now().UnixNano())),
	}
	run.shim = filepath.Join(work, "unsynced_writes.so")
	build := exec.Command("cc", "-shared", "-fPIC", "-O1", "-o", run.shim,
		filepath.Join(found.repoRoot, "tests", "powerloss", "unsynced_writes.c"), "-ldl", "-lpthread")
	if output, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the power-loss shim: %v\n%s", err, output)
	}
	run.token = bootstrapDataDir(t, found.rampartd, run.dataDir)
	run.address = freeLoopbackAddress(t)
	run.start()
	t.Cleanup(func() {
		run.kill()
		if t.Failed() {
			t.Logf("rampartd log, last lines:\n%s", rampartdtest.Tail(run.logPath, 60))
		}
	})
	return run
}

// start serves the data dir under the power-loss shim and waits until it answers.
func (r *crashRun) start() {
	r.t.Helper()
	r.process = startServe(r.t, r.tools.rampartd, append([]string{"--data-dir", r.dataDir, "--listen", r.address}, r.args...),
		[]string{"LD_PRELOAD=" + r.shim, "RAMPART_POWERLOSS_DIR=" + r.dataDir}, r.logPath, r.http,
		"http://"+r.address+"/healthz")
}

func (r *crashRun) kill() {
	r.process.kill()
	r.process = nil
}

// cycle runs the writers against the daemon, kills it at a random moment (the writers still
// writing) and restarts it.
func (r *crashRun) cycle() {
	r.t.Helper()
	stop := make(chan struct{})
	var writers sync.WaitGroup
	for worker := 0; worker < crashWorkers; worker++ {
		writers.Add(1)
		r.sequence++
		go func(name string) {
			defer writers.Done()
			r.write(name, stop)
		}(fmt.Sprintf("c%d", r.sequence))
	}
	time.Sleep(time.Duration(150+r.random.Intn(650)) * time.Millisecond)
	r.kill()
	close(stop)
	writers.Wait()
	r.start()
}

// write makes workspaces, updates them and grants users on them until stop, recording what
// was acknowledged and what was in flight when the answer never came.
func (r *crashRun) write(prefix string, stop <-chan struct{}) { r.writeUntil(prefix, stop, true) }

// create is write without the updates: only creates, each of which is either acknowledged
// or absent, also when the answer was a 503 from a store that lost its database.
func (r *crashRun) create(prefix string, stop <-chan struct{}) { r.writeUntil(prefix, stop, false) }

func (r *crashRun) writeUntil(prefix string, stop <-chan struct{}, updates bool) {
	for n := 0; ; n++ {
		select {
		case <-stop:
			return
		default:
		}
		workspace := fmt.Sprintf("%s-w%d", prefix, n)
		if !r.model.record(r.call("POST", "/v1/workspaces", map[string]any{"name": workspace}),
			func(acknowledged bool) { r.model.createdWorkspace(workspace, acknowledged) }) {
			continue
		}
		for version := 1; updates && version <= 2; version++ {
			body := map[string]any{"labels": map[string]string{"version": strconv.Itoa(version)}}
			r.model.record(r.call("PATCH", "/v1/workspaces/"+workspace, body),
				func(acknowledged bool) { r.model.updatedWorkspace(workspace, version, acknowledged) })
		}
		user := fmt.Sprintf("%s-u%d@example.com", prefix, n)
		if !r.model.record(r.call("POST", "/v1/users", map[string]any{"email": user}), nil) {
			continue
		}
		grant := map[string]any{"role": "workspace.viewer", "user_id": user, "workspace_id": workspace}
		r.model.record(r.call("POST", "/v1/role_assignments", grant),
			func(acknowledged bool) { r.model.assigned(user, workspace, acknowledged) })
	}
}

// call returns the status, or 0 when no answer came (the daemon was killed).
func (r *crashRun) call(method, path string, body any) int {
	encoded, _ := json.Marshal(body)
	request, _ := http.NewRequest(method, "http://"+r.address+path, bytes.NewReader(encoded))
	request.Header.Set("Authorization", "Bearer "+r.token)
	request.Header.Set("Content-Type", "application/json")
	response, err := r.http.Do(request)
	if err != nil {
		return 0
	}
	defer response.Body.Close()
	_, _ = io.Copy(io.Discard, response.Body)
	return response.StatusCode
}

// verify checks the restarted daemon and its data dir against the model.
func (r *crashRun) verify() []string {
	var problems []string
	r.model.mu.Lock()
	defer r.model.mu.Unlock()
	for name, state := range r.model.workspaces {
		status, labels := r.workspace(name)
		switch {
		case state.acknowledged && status != http.StatusOK:
			problems = append(problems, fmt.Sprintf("acknowledged workspace %s: GET answered %d", name, status))
		case status == http.StatusOK && !state.possibleVersions[labels["version"]]:
			problems = append(problems, fmt.Sprintf("workspace %s has version %q, want one of %v (acknowledged %q)",
				name, labels["version"], keys(state.possibleVersions), state.acknowledgedVersion))
		}
	}
	var checks []map[string]string
	for _, grant := range r.model.assignments {
		checks = append(checks, map[string]string{"principal": "user:" + grant.user, "permission": "workspace:read",
			"resource": "workspaces/" + grant.workspace})
	}
	if len(checks) > 0 {
		allowed := r.check(checks)
		for i, grant := range r.model.assignments {
			if i < len(allowed) && !allowed[i] {
				problems = append(problems, fmt.Sprintf("acknowledged assignment of %s on %s: check denied", grant.user, grant.workspace))
			}
		}
	}
	problems = append(problems, r.verifyDataDir()...)
	return problems
}

// verifyDataDir checks the database file itself, read by sqlite3 and `rampartd audit verify`
// next to the running daemon: integrity, every object written with its audit event in the
// same transaction, and the index answering for every stored assignment.
func (r *crashRun) verifyDataDir() []string {
	var problems []string
	database := filepath.Join(r.dataDir, "rampart.db")
	if result := sqlite(database, "PRAGMA integrity_check"); result != "ok" {
		problems = append(problems, "PRAGMA integrity_check: "+result)
	}
	for _, query := range []struct{ what, sql string }{
		{"workspaces without their create event", `SELECT COUNT(*) FROM workspaces w WHERE NOT EXISTS
			(SELECT 1 FROM audit_events e WHERE e.organization_id = w.organization_id AND e.target_id = w.id
			AND e.action = 'workspace.create')`},
		{"workspace create events without their workspace", `SELECT COUNT(*) FROM audit_events e WHERE
			e.action = 'workspace.create' AND NOT EXISTS (SELECT 1 FROM workspaces w WHERE w.id = e.target_id)`},
		{"workspaces whose revision disagrees with their update events", `SELECT COUNT(*) FROM workspaces w WHERE
			w.revision - 1 != (SELECT COUNT(*) FROM audit_events e WHERE e.organization_id = w.organization_id
			AND e.target_id = w.id AND e.action = 'workspace.update')`},
		{"assignments without their create event", `SELECT COUNT(*) FROM role_assignments a WHERE NOT EXISTS
			(SELECT 1 FROM audit_events e WHERE e.organization_id = a.organization_id AND e.target_id = a.id
			AND e.action = 'role_assignment.create')`},
		{"assignment create events without their assignment", `SELECT COUNT(*) FROM audit_events e WHERE
			e.action = 'role_assignment.create' AND NOT EXISTS (SELECT 1 FROM role_assignments a WHERE a.id = e.target_id)`},
	} {
		if count := sqlite(database, query.sql); count != "0" {
			problems = append(problems, fmt.Sprintf("%s: %s", query.what, count))
		}
	}
	// Every assignment in the store, as the index must answer it.
	rows := sqlite(database, `SELECT u.name || ' ' || w.name FROM role_assignments a
		JOIN users u ON u.id = a.principal_id JOIN workspaces w ON w.id = a.scope_id
		WHERE a.role = 'workspace.viewer'`)
	var checks []map[string]string
	var stored []string
	for _, row := range strings.Split(rows, "\n") {
		if fields := strings.Fields(row); len(fields) == 2 {
			stored = append(stored, row)
			checks = append(checks, map[string]string{"principal": "user:" + fields[0], "permission": "workspace:read",
				"resource": "workspaces/" + fields[1]})
		}
	}
	if len(checks) > 0 {
		for i, allowed := range r.check(checks) {
			if !allowed {
				problems = append(problems, "stored assignment "+stored[i]+" is not in the index")
			}
		}
	}
	verify := exec.Command(r.tools.rampartd, "audit", "verify", "--data-dir", r.dataDir)
	if output, err := verify.CombinedOutput(); err != nil {
		problems = append(problems, fmt.Sprintf("rampartd audit verify: %v\n%s", err, output))
	}
	return problems
}

func (r *crashRun) workspace(name string) (int, map[string]string) {
	request, _ := http.NewRequest("GET", "http://"+r.address+"/v1/workspaces/"+name, nil)
	request.Header.Set("Authorization", "Bearer "+r.token)
	response, err := r.http.Do(request)
	if err != nil {
		return 0, nil
	}
	defer response.Body.Close()
	var body struct {
		Labels map[string]string `json:"labels"`
	}
	_ = json.NewDecoder(response.Body).Decode(&body)
	return response.StatusCode, body.Labels
}

// check answers a batch of checks in chunks, in order. A check naming a principal or a
// resource that is gone is a denial here: the batch is then asked one check at a time.
func (r *crashRun) check(checks []map[string]string) []bool {
	var allowed []bool
	for start := 0; start < len(checks); start += 500 {
		chunk := checks[start:min(start+500, len(checks))]
		results, status := r.checkBatch(chunk)
		if status == http.StatusUnprocessableEntity && len(chunk) > 1 {
			results = nil
			for _, single := range chunk {
				result, _ := r.checkBatch([]map[string]string{single})
				results = append(results, len(result) == 1 && result[0])
			}
		} else if status != http.StatusOK && len(chunk) == 1 {
			results = []bool{false}
		} else if status != http.StatusOK || len(results) != len(chunk) {
			r.t.Fatalf("POST /v1/check answered %d with %d results for %d checks", status, len(results), len(chunk))
		}
		allowed = append(allowed, results...)
	}
	return allowed
}

func (r *crashRun) checkBatch(checks []map[string]string) ([]bool, int) {
	encoded, _ := json.Marshal(map[string]any{"checks": checks})
	request, _ := http.NewRequest("POST", "http://"+r.address+"/v1/check", bytes.NewReader(encoded))
	request.Header.Set("Authorization", "Bearer "+r.token)
	response, err := r.http.Do(request)
	if err != nil {
		r.t.Fatalf("POST /v1/check: %v", err)
	}
	defer response.Body.Close()
	var batch struct {
		Results []struct{ Allowed bool } `json:"results"`
	}
	if response.StatusCode != http.StatusOK || json.NewDecoder(response.Body).Decode(&batch) != nil {
		return nil, response.StatusCode
	}
	allowed := make([]bool, len(batch.Results))
	for i, result := range batch.Results {
		allowed[i] = result.Allowed
	}
	return allowed, response.StatusCode
}

func sqlite(database, query string) string {
	output, err := exec.Command("sqlite3", "-readonly", database, query).CombinedOutput()
	if err != nil {
		return fmt.Sprintf("sqlite3 failed: %v: %s", err, output)
	}
	return strings.TrimSpace(string(output))
}

// crashModel is what the writers were told: acknowledged writes must survive; writes whose
// answer never came may or may not have happened, but only whole.
type crashModel struct {
	mu          sync.Mutex
	workspaces  map[string]*workspaceState
	assignments []grant
	updates     int
}

type workspaceState struct {
	acknowledged        bool
	acknowledgedVersion string
	// The label values a GET may show: the acknowledged one and any sent after it.
	possibleVersions map[string]bool
}

type grant struct{ user, workspace string }

func newCrashModel() *crashModel { return &crashModel{workspaces: map[string]*workspaceState{}} }

// record files one write: acknowledged on 2xx, in doubt when no answer came. A 4xx or 5xx
// answer is a refusal the test did not expect. It returns whether the caller may go on
// building on this write.
func (m *crashModel) record(status int, apply func(acknowledged bool)) bool {
	acknowledged := status >= 200 && status < 300
	if status != 0 && !acknowledged {
		return false // refused: nothing to record (the checks below catch a wrong refusal)
	}
	if apply != nil {
		m.mu.Lock()
		apply(acknowledged)
		m.mu.Unlock()
	}
	return acknowledged
}

func (m *crashModel) createdWorkspace(name string, acknowledged bool) {
	state := m.workspaces[name]
	if state == nil {
		state = &workspaceState{possibleVersions: map[string]bool{"": true}}
		m.workspaces[name] = state
	}
	state.acknowledged = state.acknowledged || acknowledged
}

func (m *crashModel) updatedWorkspace(name string, version int, acknowledged bool) {
	state := m.workspaces[name]
	value := strconv.Itoa(version)
	if acknowledged {
		// Older values can no longer show: this one was committed over them.
		state.possibleVersions = map[string]bool{value: true}
		state.acknowledgedVersion = value
		m.updates++
	} else {
		state.possibleVersions[value] = true
	}
}

func (m *crashModel) assigned(user, workspace string, acknowledged bool) {
	if acknowledged {
		m.assignments = append(m.assignments, grant{user, workspace})
	}
}

func (m *crashModel) acknowledged() int {
	count := m.updates + len(m.assignments)
	for _, state := range m.workspaces {
		if state.acknowledged {
			count++
		}
	}
	return count
}

func keys(set map[string]bool) []string {
	var list []string
	for key := range set {
		list = append(list, key)
	}
	return list
}
