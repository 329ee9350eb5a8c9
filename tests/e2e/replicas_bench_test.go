package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rampart-dev/rampart/tests/e2e/rampartdtest"
)

// BenchmarkReplicas compares two replicas on one PostgreSQL with one daemon on SQLite, in
// the same run on the same machine: the latency of a check, the rate of writes (through one
// replica and spread over both), and how long a grant made through replica A takes to be
// answered by replica B when the client does not say which change it needs. It prints one
// block of `replicas:` lines (`make bench-replicas`) and asserts nothing. It measures each
// figure once, whatever b.N: run it with -benchtime 1x.
//
// Environment: BENCH_DURATION (5s) of each write phase, BENCH_LAG_SAMPLES (300) grants
// whose lag is measured each way.
func BenchmarkReplicas(b *testing.B) {
	rampartd, err := rampartdtest.Executable("rampartd")
	if err != nil {
		b.Fatal(err)
	}
	writeDuration := benchSetting(b, "BENCH_DURATION", 5*time.Second, time.ParseDuration)
	lagSamples := benchSetting(b, "BENCH_LAG_SAMPLES", 300, strconv.Atoi)

	onSQLite := rampartdtest.Start(b, rampartd)
	postgres := rampartdtest.StartPostgres(b)
	replicaA := rampartdtest.StartWith(b, rampartd, rampartdtest.Options{DatabaseURL: postgres.CreateDatabase(b)})
	replicaB := replicaA.StartReplica(b, rampartdtest.Options{})
	client := &http.Client{Timeout: 30 * time.Second}
	seedBenchOrganization(b, client, onSQLite)
	seedBenchOrganization(b, client, replicaA)

	report := []string{
		fmt.Sprintf("machine: %d CPUs (runtime.NumCPU), %s/%s, %s", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, cpuModel()),
		fmt.Sprintf("stores: SQLite (one daemon) and PostgreSQL %s (replicas A and B), both fsync on",
			postgres.Query(b, "postgres", "SHOW server_version")),
	}
	report = append(report, checkLatency(client, onSQLite, replicaA)...)
	report = append(report, writeRates(onSQLite, replicaA, replicaB, writeDuration)...)
	report = append(report, freshnessLag(b, client, replicaA, replicaB, lagSamples)...)
	fmt.Print("replicas: " + strings.Join(report, "\nreplicas: ") + "\n")
}

// The allowed check both organizations answer: a user's grant on the workspace.
var benchCheck = []byte(`{"principal":"user:dev7@example.com","permission":"workspace:read","resource":"workspaces/alpha"}`)

// seedBenchOrganization gives d's organization a workspace and 20 users viewing it, and
// makes sure benchCheck is allowed.
func seedBenchOrganization(b *testing.B, client *http.Client, d *rampartdtest.Daemon) {
	b.Helper()
	create := func(path, body string) {
		if answer := post(client, d.Endpoint+path, d.Token, []byte(body)); answer.status != http.StatusCreated {
			b.Fatalf("POST %s %s: %d %s", path, body, answer.status, answer.body)
		}
	}
	create("/v1/workspaces", `{"name":"alpha"}`)
	for i := 1; i <= 20; i++ {
		create("/v1/users", fmt.Sprintf(`{"email":"dev%d@example.com"}`, i))
		create("/v1/role_assignments",
			fmt.Sprintf(`{"role":"workspace.viewer","user_id":"dev%d@example.com","workspace_id":"alpha"}`, i))
	}
	if answer := post(client, d.Endpoint+"/v1/check", d.Token, benchCheck); !allowedAnswer(answer) {
		b.Fatalf("%s: the benchmark's check is not allowed: %d %s", d.Endpoint, answer.status, answer.body)
	}
}

// checkLatency times sequential checks on one keep-alive connection per daemon, in rounds
// that alternate between the SQLite daemon and replica A, so that a noisy neighbour during
// one round weighs on both.
func checkLatency(client *http.Client, onSQLite, replicaA *rampartdtest.Daemon) []string {
	const rounds, checksPerRound, warmUp = 5, 1000, 200
	daemons := []*rampartdtest.Daemon{onSQLite, replicaA}
	results := make([]loadResult, len(daemons))
	for round := -1; round < rounds; round++ {
		for i, d := range daemons {
			count := checksPerRound
			if round < 0 {
				count = warmUp
			}
			for range count {
				answer := post(client, d.Endpoint+"/v1/check", d.Token, benchCheck)
				if round >= 0 {
					results[i].record(answer)
				}
			}
		}
	}
	line := func(name string, result loadResult) string {
		return fmt.Sprintf("check latency, %-22s p50 %4.0f µs, p99 %5.0f µs (%d checks, answers by status %v)",
			name+":", 1000*result.percentile(50), 1000*result.percentile(99), result.requests(), result.answered)
	}
	return []string{
		fmt.Sprintf("check latency: %d rounds of %d sequential POST /v1/check per store, alternating, one keep-alive connection",
			rounds, checksPerRound),
		line("SQLite", results[0]),
		line("PostgreSQL replica A", results[1]),
		fmt.Sprintf("check latency, ratio replica A / SQLite: p50 %.2f, p99 %.2f",
			results[1].percentile(50)/results[0].percentile(50), results[1].percentile(99)/results[0].percentile(99)),
	}
}

// writeRates runs four writers creating workspaces for duration: against the SQLite daemon,
// against replica A alone, and spread over A and B.
func writeRates(onSQLite, replicaA, replicaB *rampartdtest.Daemon, duration time.Duration) []string {
	const writers = 4
	phases := []struct {
		name    string
		daemons []*rampartdtest.Daemon
	}{
		{"SQLite", []*rampartdtest.Daemon{onSQLite}},
		{"PostgreSQL, replica A", []*rampartdtest.Daemon{replicaA}},
		{"PostgreSQL, A and B", []*rampartdtest.Daemon{replicaA, replicaB}},
	}
	lines := []string{fmt.Sprintf("write rate: %d concurrent writers creating workspaces for %v, one keep-alive connection each",
		writers, duration)}
	var sqliteRate float64
	for phase, p := range phases {
		results := make([]loadResult, writers)
		var running sync.WaitGroup
		started := time.Now()
		for writer := range writers {
			d := p.daemons[writer%len(p.daemons)]
			own := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
			running.Add(1)
			go func() {
				defer running.Done()
				for n := 0; time.Since(started) < duration; n++ {
					body := fmt.Sprintf(`{"name":"bench-p%d-w%d-%d"}`, phase, writer, n)
					results[writer].record(post(own, d.Endpoint+"/v1/workspaces", d.Token, []byte(body)))
				}
			}()
		}
		running.Wait()
		var total loadResult
		for _, result := range results {
			total.merge(result)
		}
		rate := float64(total.answered[http.StatusCreated]) / time.Since(started).Seconds()
		if phase == 0 {
			sqliteRate = rate
		}
		lines = append(lines, fmt.Sprintf("write rate, %-22s %6.0f writes/s, ratio to SQLite %.2f (answers by status %v)",
			p.name+":", rate, rate/sqliteRate, total.answered))
	}
	return lines
}

// freshnessLag makes grants through replica A and times how long replica B takes to answer
// them without Rampart-Min-Change-Number: polled with the check itself, and polled (with
// the previous check) until B's Rampart-Change-Number reaches the one A answered the grant
// with.
// Each sample is a new user granted on the workspace, one for each way of polling.
func freshnessLag(b *testing.B, client *http.Client, replicaA, replicaB *rampartdtest.Daemon, samples int) []string {
	const giveUp = 30 * time.Second
	grant := func(email string) (time.Time, uint64) {
		b.Helper()
		if answer := post(client, replicaA.Endpoint+"/v1/users", replicaA.Token,
			[]byte(fmt.Sprintf(`{"email":%q}`, email))); answer.status != http.StatusCreated {
			b.Fatalf("POST /v1/users on A: %d %s", answer.status, answer.body)
		}
		body := fmt.Sprintf(`{"role":"workspace.viewer","user_id":%q,"workspace_id":"alpha"}`, email)
		created, change := changed(b, client, replicaA.Endpoint+"/v1/role_assignments", replicaA.Token, []byte(body))
		if created.status != http.StatusCreated {
			b.Fatalf("POST /v1/role_assignments on A: %d %s", created.status, created.body)
		}
		return time.Now(), change
	}
	var byCheck, byHeader loadResult
	for sample := range samples {
		email := fmt.Sprintf("lag-check-%d@example.com", sample)
		check := []byte(fmt.Sprintf(`{"principal":"user:%s","permission":"workspace:read","resource":"workspaces/alpha"}`, email))
		granted, _ := grant(email)
		for !allowedAnswer(post(client, replicaB.Endpoint+"/v1/check", replicaB.Token, check)) {
			if time.Since(granted) > giveUp {
				b.Fatalf("replica B did not allow %s's new grant within %v", email, giveUp)
			}
		}
		byCheck.latencies = append(byCheck.latencies, time.Since(granted))

		granted, change := grant(fmt.Sprintf("lag-header-%d@example.com", sample))
		for {
			_, applied := changed(b, client, replicaB.Endpoint+"/v1/check", replicaB.Token, check)
			if applied >= change {
				break
			}
			if time.Since(granted) > giveUp {
				b.Fatalf("replica B's Rampart-Change-Number stayed at %d, below %d, for %v", applied, change, giveUp)
			}
		}
		byHeader.latencies = append(byHeader.latencies, time.Since(granted))
	}
	line := func(how string, result loadResult) string {
		return fmt.Sprintf("lag A -> B, %-46s p50 %6.2f ms, p99 %6.2f ms, max %6.2f ms",
			how+":", result.percentile(50), result.percentile(99), result.percentile(100))
	}
	return []string{
		fmt.Sprintf("lag A -> B: %d grants made through A each way, from A's answer until B shows it, polling B in a tight loop",
			samples),
		line("until B's check allows (no Min-Change-Number)", byCheck),
		line("until B's Rampart-Change-Number >= A's", byHeader),
	}
}

// changed posts like post and returns the answer with its Rampart-Change-Number.
func changed(b *testing.B, client *http.Client, url, token string, body []byte) (answer, uint64) {
	b.Helper()
	a := post(client, url, token, body)
	change, err := strconv.ParseUint(a.header.Get("Rampart-Change-Number"), 10, 64)
	if err != nil {
		b.Fatalf("POST %s -> %d: Rampart-Change-Number %q: %v", url, a.status, a.header.Get("Rampart-Change-Number"), err)
	}
	return a, change
}

// allowedAnswer tells whether a POST /v1/check answer is 200 with allowed true.
func allowedAnswer(a answer) bool {
	var decision struct {
		Allowed bool `json:"allowed"`
	}
	return a.status == http.StatusOK && json.Unmarshal(a.body, &decision) == nil && decision.Allowed
}

// benchSetting is the environment variable name parsed, or fallback when it is unset.
func benchSetting[T any](b *testing.B, name string, fallback T, parse func(string) (T, error)) T {
	b.Helper()
	text := os.Getenv(name)
	if text == "" {
		return fallback
	}
	value, err := parse(text)
	if err != nil {
		b.Fatalf("%s=%q: %v", name, text, err)
	}
	return value
}

// cpuModel is the processor's name from /proc/cpuinfo, or "CPU model unknown".
func cpuModel() string {
	file, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "CPU model unknown"
	}
	defer file.Close()
	for scanner := bufio.NewScanner(file); scanner.Scan(); {
		if name, model, found := strings.Cut(scanner.Text(), ":"); found && strings.TrimSpace(name) == "model name" {
			return strings.TrimSpace(model)
		}
	}
	return "CPU model unknown"
}
