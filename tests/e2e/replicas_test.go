package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rampart-dev/rampart/tests/e2e/rampartdtest"
)

// High availability: several rampartd replicas on one PostgreSQL (started by the test). An
// apply through one replica is checked through the other with the change number it
// answered; writers spread over both replicas lose no acknowledged write when one replica
// is killed, or when PostgreSQL restarts; afterwards both indexes equal the database and
// the audit chain verifies.

// replicaPair is two replicas serving one fresh PostgreSQL database.
type replicaPair struct {
	postgres *rampartdtest.Postgres
	a, b     *daemon
	rampartd string
}

func startReplicaPair(t *testing.T) *replicaPair {
	t.Helper()
	found := findTools(t)
	postgres := rampartdtest.StartPostgres(t)
	first := rampartdtest.StartWith(t, found.rampartd, rampartdtest.Options{DatabaseURL: postgres.CreateDatabase(t)})
	second := first.StartReplica(t, rampartdtest.Options{})
	client := &http.Client{Timeout: 30 * time.Second}
	return &replicaPair{
		postgres: postgres,
		a:        &daemon{Daemon: first, t: t, http: client},
		b:        &daemon{Daemon: second, t: t, http: client},
		rampartd: found.rampartd,
	}
}

// changeNumber is the newest change replica d has applied, from any response's header.
func changeNumber(t *testing.T, d *daemon) uint64 {
	t.Helper()
	answer := d.expect(http.StatusOK, http.MethodGet, "/v1/workspaces?page_size=1", nil)
	number, err := strconv.ParseUint(answer.header.Get("Rampart-Change-Number"), 10, 64)
	if err != nil {
		t.Fatalf("%v: Rampart-Change-Number %q: %v", answer, answer.header.Get("Rampart-Change-Number"), err)
	}
	return number
}

func TestReplicasTeamAlphaAppliedThroughOneIsCheckedThroughTheOther(t *testing.T) {
	found := findTools(t)
	pair := startReplicaPair(t)
	workDir := t.TempDir()
	if err := copyTree(filepath.Join(found.repoRoot, "terraform-examples", "team-alpha"), workDir); err != nil {
		t.Fatal(err)
	}
	tf := newCLI(t, found, pair.a, workDir)
	tf.expect(0, "init", "-input=false")
	tf.expect(0, "apply", "-auto-approve", "-input=false")

	change := changeNumber(t, pair.a)
	t.Logf("applied through replica A up to change %d; the whole matrix asked of replica B at once", change)
	expectAnswers(t, pair.b, teamAlphaMatrix(), "Rampart-Min-Change-Number", strconv.FormatUint(change, 10))
	if got := changeNumber(t, pair.b); got < change {
		t.Errorf("replica B answered having applied change %d, before %d", got, change)
	}

	t.Log("a plan through replica B finds nothing to change")
	tfB := newCLI(t, found, pair.b, workDir)
	tfB.expect(0, "plan", "-detailed-exitcode", "-input=false")
	pair.expectIndexesEqualTheDatabase(t)
}

func TestReplicasOperatorCommandsTakeTheDatabaseURL(t *testing.T) {
	found := findTools(t)
	pair := startReplicaPair(t)
	pair.a.expect(http.StatusCreated, http.MethodPost, "/v1/workspaces", map[string]any{"name": "alpha"})
	pair.a.expect(http.StatusCreated, http.MethodPost, "/v1/users", map[string]any{"email": "ana@example.com"})
	pair.a.expect(http.StatusCreated, http.MethodPost, "/v1/role_assignments",
		map[string]any{"role": "workspace.admin", "user_id": "ana@example.com", "workspace_id": "alpha"})
	run := func(args ...string) string {
		t.Helper()
		output, err := exec.Command(found.rampartd, append(args, pair.a.StoreArgs()...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("rampartd %s: %v\n%s", strings.Join(args, " "), err, output)
		}
		return string(output)
	}
	if answer := run("check", "--organization", "e2e", "--principal", "user:ana@example.com",
		"--permission", "workspace:delete", "--resource", "workspaces/alpha"); !strings.Contains(answer, `"allowed":true`) {
		t.Errorf("rampartd check: %s", answer)
	}
	out := filepath.Join(t.TempDir(), "exported")
	run("export-state", "--organization", "e2e", "--out", out)
	files, _ := filepath.Glob(filepath.Join(out, "*.tf"))
	var exported strings.Builder
	for _, file := range files {
		data, _ := os.ReadFile(file)
		exported.Write(data)
	}
	if !strings.Contains(exported.String(), "alpha") || !strings.Contains(exported.String(), "ana@example.com") {
		t.Errorf("export-state wrote %d files without the workspace and the user:\n%s", len(files), exported.String())
	}
	if events := run("audit", "export", "--organization", "e2e"); strings.Count(events, "\n") < 4 {
		t.Errorf("audit export: %q, want the bootstrap and three creates", events)
	}
	pair.expectAuditChainsVerify(t)
	if output, err := exec.Command(found.rampartd, "serve", "--database-url", "mysql://x@127.0.0.1/db").CombinedOutput(); err == nil ||
		!strings.Contains(string(output), "--database-url") {
		t.Errorf("serve with a non-PostgreSQL URL: %v, %s; want a refusal naming --database-url", err, output)
	}
}

// roundRobin is a load balancer in front of the replicas: each request goes to the next
// replica in turn. It notes the Rampart-Min-Change-Number each request carries and the
// highest Rampart-Change-Number answered before it.
type roundRobin struct {
	mu        sync.Mutex
	targets   []*url.URL
	next      int
	answered  uint64 // the highest change number answered so far
	requests  int
	unpinned  int // requests sent without a change number although one had been answered
	aheadSeen bool
}

func (b *roundRobin) handler() http.Handler {
	proxy := &httputil.ReverseProxy{
		Rewrite: func(request *httputil.ProxyRequest) {
			b.mu.Lock()
			target := b.targets[b.next%len(b.targets)]
			b.next++
			b.requests++
			sent, err := strconv.ParseUint(request.In.Header.Get("Rampart-Min-Change-Number"), 10, 64)
			if err != nil && b.answered > 0 {
				b.unpinned++
			}
			b.aheadSeen = b.aheadSeen || (err == nil && sent > b.answered)
			b.mu.Unlock()
			request.SetURL(target)
		},
		ModifyResponse: func(response *http.Response) error {
			number, err := strconv.ParseUint(response.Header.Get("Rampart-Change-Number"), 10, 64)
			b.mu.Lock()
			if err == nil && number > b.answered {
				b.answered = number
			}
			b.mu.Unlock()
			return nil
		},
	}
	return proxy
}

func TestReplicasApplyThroughARoundRobinBalancer(t *testing.T) {
	found := findTools(t)
	pair := startReplicaPair(t)
	balancer := &roundRobin{}
	for _, replica := range []*daemon{pair.a, pair.b} {
		target, err := url.Parse(replica.Endpoint)
		if err != nil {
			t.Fatal(err)
		}
		balancer.targets = append(balancer.targets, target)
	}
	server := httptest.NewServer(balancer.handler())
	defer server.Close()
	front := &daemon{Daemon: &rampartdtest.Daemon{Endpoint: server.URL, Token: pair.a.Token}, t: t, http: pair.a.http}

	workDir := t.TempDir()
	if err := copyTree(filepath.Join(found.repoRoot, "terraform-examples", "team-alpha"), workDir); err != nil {
		t.Fatal(err)
	}
	tf := newCLI(t, found, front, workDir)
	tf.expect(0, "init", "-input=false")
	// The configuration's check block reads an access check right after the grants it
	// depends on: through the other replica, half the time.
	tf.expect(0, "apply", "-auto-approve", "-input=false")
	tf.expect(0, "plan", "-detailed-exitcode", "-input=false")
	expectAnswers(t, front, teamAlphaMatrix(), "Rampart-Min-Change-Number", strconv.FormatUint(balancer.answered, 10))

	balancer.mu.Lock()
	defer balancer.mu.Unlock()
	t.Logf("%d requests alternated between the replicas; %d carried no change number after one was answered",
		balancer.requests, balancer.unpinned)
	// Terraform's first requests go out together (-parallelism 10) before any answer.
	if balancer.unpinned > 10 {
		t.Errorf("%d of %d requests carried no Rampart-Min-Change-Number although one had been answered",
			balancer.unpinned, balancer.requests)
	}
	if balancer.aheadSeen {
		t.Error("the provider sent a change number no replica had answered")
	}
}

func TestReplicasKeepEveryAcknowledgedWriteWhenOneIsKilled(t *testing.T) {
	pair := startReplicaPair(t)
	load := pair.startWriters(t)

	time.Sleep(1500 * time.Millisecond)
	t.Log("SIGKILL replica A under load, then restart it")
	pair.a.Kill()
	time.Sleep(time.Second)
	pair.a.Restart()
	time.Sleep(1500 * time.Millisecond)
	load.stop()

	pair.expectNothingLost(t, load, "replica kill")
}

func TestReplicasRecoverFromAPostgresRestartUnderLoad(t *testing.T) {
	pair := startReplicaPair(t)
	load := pair.startWriters(t)

	time.Sleep(1500 * time.Millisecond)
	t.Log("stop PostgreSQL under load: both replicas report not ready")
	pair.postgres.Stop()
	for _, replica := range []*daemon{pair.a, pair.b} {
		waitForReadiness(t, replica, http.StatusServiceUnavailable)
	}
	acknowledgedBefore := load.model.acknowledged()
	pair.postgres.Start()
	t.Log("PostgreSQL is back: both replicas become ready again without help")
	for _, replica := range []*daemon{pair.a, pair.b} {
		waitForReadiness(t, replica, http.StatusOK)
	}
	time.Sleep(1500 * time.Millisecond)
	load.stop()
	if load.model.acknowledged() <= acknowledgedBefore {
		t.Errorf("no write was acknowledged after PostgreSQL came back (%d before, %d after)",
			acknowledgedBefore, load.model.acknowledged())
	}

	pair.expectNothingLost(t, load, "PostgreSQL restart")
}

// waitForReadiness polls GET /readyz until it answers want, for at most 30 s.
func waitForReadiness(t *testing.T, d *daemon, want int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		answer := d.call(http.MethodGet, "/readyz", nil)
		if answer.status == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %v, want %d within 30 s", d.Endpoint, answer, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// replicaLoad is writers spread over both replicas: each makes a workspace, a user and a
// grant of the user on the workspace, again and again, through its replica.
type replicaLoad struct {
	model *crashModel
	done  chan struct{}
	wg    sync.WaitGroup
}

func (l *replicaLoad) stop() {
	close(l.done)
	l.wg.Wait()
}

func (p *replicaPair) startWriters(t *testing.T) *replicaLoad {
	load := &replicaLoad{model: newCrashModel(), done: make(chan struct{})}
	for writer := 0; writer < 4; writer++ {
		replica := []*daemon{p.a, p.b}[writer%2]
		run := &crashRun{t: t, model: load.model, address: replica.Endpoint[len("http://"):], token: replica.Token,
			http: &http.Client{Timeout: 10 * time.Second}}
		load.wg.Add(1)
		go func(prefix string) {
			defer load.wg.Done()
			run.create(prefix, load.done)
		}(fmt.Sprintf("r%d", writer))
	}
	return load
}

// expectNothingLost checks the pair after a disruption under load: every acknowledged write
// is there, both indexes equal the database and the audit chain verifies.
func (p *replicaPair) expectNothingLost(t *testing.T, load *replicaLoad, disruption string) {
	t.Helper()
	p.expectAcknowledgedWritesPresent(t, load)
	p.expectIndexesEqualTheDatabase(t)
	p.expectAuditChainsVerify(t)
	t.Logf("%s: %d acknowledged writes, all present; both indexes equal the database", disruption,
		load.model.acknowledged())
}

// expectAcknowledgedWritesPresent reads every acknowledged workspace through replica B, and
// checks every acknowledged grant through both replicas.
func (p *replicaPair) expectAcknowledgedWritesPresent(t *testing.T, load *replicaLoad) {
	t.Helper()
	if load.model.acknowledged() == 0 {
		t.Fatal("no write was acknowledged: the load did not run")
	}
	for name, state := range load.model.workspaces {
		if answer := p.b.call(http.MethodGet, "/v1/workspaces/"+name, nil); state.acknowledged && answer.status != http.StatusOK {
			t.Errorf("acknowledged workspace %s: %v", name, answer)
		}
	}
	var questions []question
	for _, grant := range load.model.assignments {
		questions = append(questions, allow("user:"+grant.user, "workspace:read", "workspaces/"+grant.workspace))
	}
	change := strconv.FormatUint(max(changeNumber(t, p.a), changeNumber(t, p.b)), 10)
	for _, replica := range []*daemon{p.a, p.b} {
		for start := 0; start < len(questions); start += 500 {
			expectAnswers(t, replica, questions[start:min(start+500, len(questions))], "Rampart-Min-Change-Number", change)
		}
	}
}

// expectIndexesEqualTheDatabase compares each replica's access matrix (its index) with the
// role assignments the database holds.
func (p *replicaPair) expectIndexesEqualTheDatabase(t *testing.T) {
	t.Helper()
	change := strconv.FormatUint(max(changeNumber(t, p.a), changeNumber(t, p.b)), 10)
	var stored []string
	for token := ""; ; {
		answer := p.a.expect(http.StatusOK, http.MethodGet, "/v1/role_assignments?page_size=1000&page_token="+token, nil)
		var page struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
			NextPageToken string `json:"next_page_token"`
		}
		if err := json.Unmarshal(answer.body, &page); err != nil {
			t.Fatalf("%v: %v", answer, err)
		}
		for _, item := range page.Items {
			stored = append(stored, item.ID)
		}
		if token = page.NextPageToken; token == "" {
			break
		}
	}
	slices.Sort(stored)
	for _, replica := range []*daemon{p.a, p.b} {
		answer := replica.expect(http.StatusOK, http.MethodGet, "/v1/access-matrix", nil, "Rampart-Min-Change-Number", change)
		var matrix struct {
			Rows []struct {
				AssignmentID string `json:"assignment_id"`
			} `json:"rows"`
		}
		if err := json.Unmarshal(answer.body, &matrix); err != nil {
			t.Fatalf("%v: %v", answer, err)
		}
		var indexed []string
		for _, row := range matrix.Rows {
			if !slices.Contains(indexed, row.AssignmentID) {
				indexed = append(indexed, row.AssignmentID)
			}
		}
		slices.Sort(indexed)
		if len(indexed) == 0 || !slices.Equal(indexed, stored) {
			t.Errorf("replica %s indexes %d assignments, the database holds %d", replica.Endpoint, len(indexed), len(stored))
		}
	}
}

func (p *replicaPair) expectAuditChainsVerify(t *testing.T) {
	t.Helper()
	output, err := exec.Command(p.rampartd, append([]string{"audit", "verify"}, p.a.StoreArgs()...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("rampartd audit verify: %v\n%s", err, output)
	}
	t.Logf("audit verify: %s", output)
}
