package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"
)

// One organization flooding the daemon does not starve another's checks: organization A
// sends checks as fast as 40 connections allow (more than its address may open), while
// organization B checks at a steady 50/s from another address. B is measured alone first,
// then under the flood; the test prints both organizations' rates and latencies and asserts
// that every one of B's checks was answered (no 429, no 503, no error) while A was held back.
func TestOneOrganizationFloodingDoesNotStarveAnothersChecks(t *testing.T) {
	found := findTools(t)
	dataDir := filepath.Join(t.TempDir(), "data")
	tokenA := bootstrapDataDir(t, found.rampartd, dataDir)
	address := freeLoopbackAddress(t)
	endpoint := "http://" + address
	client := &http.Client{Timeout: 10 * time.Second}
	server := startServe(t, found.rampartd, []string{"--data-dir", dataDir, "--listen", address,
		"--organization-rate-limit", "200", "--max-connections-per-client", "32"},
		nil, filepath.Join(t.TempDir(), "rampartd.log"), client, endpoint+"/healthz")
	t.Cleanup(server.kill)

	tokenB := setUpOrganization(t, client, endpoint, tokenA)
	check := []byte(`{"principal":"user:dana@example.com","permission":"workspace:read","resource":"workspaces/alpha"}`)

	// B checks from 127.0.0.2, at 50/s, on one keep-alive connection.
	fromB := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		DialContext: (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.2")}}).DialContext}}
	runB := func(duration time.Duration) loadResult {
		var result loadResult
		ticker := time.NewTicker(20 * time.Millisecond)
		defer ticker.Stop()
		for end := time.Now().Add(duration); time.Now().Before(end); <-ticker.C {
			result.record(post(fromB, endpoint+"/v1/check", tokenB, check))
		}
		result.duration = duration
		return result
	}
	alone := runB(2 * time.Second)

	// A floods from 127.0.0.1 with 40 connections; its address may hold 32.
	ctx, stop := context.WithCancel(context.Background())
	var flood sync.WaitGroup
	results := make([]loadResult, 40)
	started := time.Now()
	for i := range results {
		flood.Add(1)
		go func(result *loadResult) {
			defer flood.Done()
			own := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
			for ctx.Err() == nil {
				result.record(post(own, endpoint+"/v1/check", tokenA, check))
			}
		}(&results[i])
	}
	time.Sleep(300 * time.Millisecond) // the flood is on
	underFlood := runB(4 * time.Second)
	stop()
	flood.Wait()
	var a loadResult
	for _, result := range results {
		a.merge(result)
	}
	a.duration = time.Since(started)

	t.Logf("load: B alone:        %s", alone)
	t.Logf("load: B under flood:  %s", underFlood)
	t.Logf("load: A (the flood):  %s", a)
	t.Logf("load: B's median latency under the flood / alone: %.2f", underFlood.percentile(50)/alone.percentile(50))
	if underFlood.answered[http.StatusOK] != underFlood.requests() || alone.answered[http.StatusOK] != alone.requests() {
		t.Errorf("organization B was not answered 200 every time: alone %v, under the flood %v", alone.answered, underFlood.answered)
	}
	if a.answered[http.StatusTooManyRequests] == 0 {
		t.Errorf("organization A was never rate limited: %v", a.answered)
	}
	if minimum := int(0.8 * underFlood.duration.Seconds() * 50); underFlood.requests() < minimum {
		t.Errorf("B made %d checks in %v under the flood, want at least %d (50/s)", underFlood.requests(), underFlood.duration, minimum)
	}
}

// setUpOrganization makes organization B (with a workspace, a user and a grant to check)
// as the system administrator, and returns B's admin token.
func setUpOrganization(t *testing.T, client *http.Client, endpoint, systemToken string) string {
	t.Helper()
	created := post(client, endpoint+"/v1/organizations", systemToken, []byte(`{"name":"b"}`))
	var organization struct{ Token string }
	if created.status != http.StatusCreated || json.Unmarshal(created.body, &organization) != nil {
		t.Fatalf("POST /v1/organizations: %d %s", created.status, created.body)
	}
	for _, step := range []struct{ path, body string }{
		{"/v1/workspaces", `{"name":"alpha"}`},
		{"/v1/users", `{"email":"dana@example.com"}`},
		{"/v1/role_assignments", `{"role":"workspace.viewer","user_id":"dana@example.com","workspace_id":"alpha"}`},
	} {
		if answer := post(client, endpoint+step.path, organization.Token, []byte(step.body)); answer.status != http.StatusCreated {
			t.Fatalf("POST %s: %d %s", step.path, answer.status, answer.body)
		}
	}
	// A's organization gets the same objects, so that its checks do the same work.
	for _, step := range []struct{ path, body string }{
		{"/v1/workspaces", `{"name":"alpha"}`},
		{"/v1/users", `{"email":"dana@example.com"}`},
	} {
		post(client, endpoint+step.path, systemToken, []byte(step.body))
	}
	return organization.Token
}

type answer struct {
	status  int // 0: no answer (connection refused or reset)
	header  http.Header
	body    []byte
	latency time.Duration
}

func post(client *http.Client, url, token string, body []byte) answer {
	request, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	request.Header.Set("Authorization", "Bearer "+token)
	request.Header.Set("Content-Type", "application/json")
	started := time.Now()
	response, err := client.Do(request)
	if err != nil {
		return answer{latency: time.Since(started)}
	}
	defer response.Body.Close()
	content, _ := io.ReadAll(response.Body)
	return answer{status: response.StatusCode, header: response.Header, body: content, latency: time.Since(started)}
}

// loadResult counts answers by status and keeps the latencies of the 200s.
type loadResult struct {
	answered  map[int]int
	latencies []time.Duration
	duration  time.Duration
}

func (r *loadResult) record(a answer) {
	if r.answered == nil {
		r.answered = map[int]int{}
	}
	r.answered[a.status]++
	if a.status == http.StatusOK {
		r.latencies = append(r.latencies, a.latency)
	}
}

func (r *loadResult) merge(other loadResult) {
	for status, count := range other.answered {
		if r.answered == nil {
			r.answered = map[int]int{}
		}
		r.answered[status] += count
	}
	r.latencies = append(r.latencies, other.latencies...)
}

func (r loadResult) requests() int {
	total := 0
	for _, count := range r.answered {
		total += count
	}
	return total
}

// percentile of the 200s' latencies, in milliseconds.
func (r loadResult) percentile(p float64) float64 {
	if len(r.latencies) == 0 {
		return 0
	}
	sorted := append([]time.Duration(nil), r.latencies...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	return float64(sorted[int(p/100*float64(len(sorted)-1))].Microseconds()) / 1000
}

func (r loadResult) String() string {
	return fmt.Sprintf("%6.0f answered 200/s, p50 %.2f ms, p99 %.2f ms, answers by status %v",
		float64(r.answered[http.StatusOK])/r.duration.Seconds(), r.percentile(50), r.percentile(99), r.answered)
}
