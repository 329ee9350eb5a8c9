package client

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/rampart-dev/rampart/provider-shim/api/rampartv1"
)

const testToken = "rk_test_token"

// recorder is an httptest handler that answers from a script of responses, one per
// request (the last one repeats), and records what it received.
type recorder struct {
	t         *testing.T
	responses []scriptedResponse

	mu       sync.Mutex
	requests []recordedRequest
}

type scriptedResponse struct {
	status int
	header map[string]string
	body   string
	// hangUp closes the connection without answering, like a daemon that went away.
	hangUp bool
}

type recordedRequest struct {
	method  string
	rawPath string
	header  http.Header
	body    string
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		r.t.Errorf("reading request body: %v", err)
	}
	r.mu.Lock()
	index := len(r.requests)
	r.requests = append(r.requests, recordedRequest{
		method:  req.Method,
		rawPath: req.URL.EscapedPath(),
		header:  req.Header.Clone(),
		body:    string(body),
	})
	r.mu.Unlock()

	response := r.responses[min(index, len(r.responses)-1)]
	if response.hangUp {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			r.t.Fatalf("hijack: %v", err)
		}
		conn.Close()
		return
	}
	for key, value := range response.header {
		w.Header().Set(key, value)
	}
	if response.body != "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(response.status)
	_, _ = io.WriteString(w, response.body)
}

func (r *recorder) received() []recordedRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recordedRequest(nil), r.requests...)
}

// newTestClient serves responses and returns a client for it that records its waits
// between attempts instead of sleeping.
func newTestClient(t *testing.T, responses ...scriptedResponse) (*Client, *recorder, *[]time.Duration) {
	t.Helper()
	rec := &recorder{t: t, responses: responses}
	server := httptest.NewServer(rec)
	t.Cleanup(server.Close)
	var waits []time.Duration
	c, err := New(server.URL, testToken,
		WithRetry(5, 100*time.Millisecond, 10*time.Second),
		withSleep(func(ctx context.Context, d time.Duration) error {
			waits = append(waits, d)
			return ctx.Err()
		}))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, rec, &waits
}

const workspaceJSON = `{"id":"ws_0123456789abcdef","organization_id":"org_1","name":"alpha","display_name":"Alpha",
"description":"d","labels":{"team":"a"},"created_at":"2025-01-01T00:00:00.000Z","updated_at":"2025-01-01T00:00:00.000Z",
"created_by":"key_1","revision":3,"field_from_a_newer_daemon":true}`

func TestClient_CreateSendsTokenAndProtoFieldNames(t *testing.T) {
	c, rec, _ := newTestClient(t, scriptedResponse{status: http.StatusCreated, body: workspaceJSON})

	got, err := c.CreateWorkspace(context.Background(), &rampartv1.CreateWorkspaceRequest{
		Name: "alpha", DisplayName: "Alpha", Labels: map[string]string{"team": "a"},
	})
	if err != nil {
		t.Fatalf("CreateWorkspace: %v", err)
	}
	if got.GetId() != "ws_0123456789abcdef" || got.GetRevision() != 3 || got.GetLabels()["team"] != "a" {
		t.Errorf("decoded workspace = %v", got)
	}

	requests := rec.received()
	if len(requests) != 1 {
		t.Fatalf("got %d requests, want 1", len(requests))
	}
	request := requests[0]
	if request.method != http.MethodPost || request.rawPath != "/v1/workspaces" {
		t.Errorf("request = %s %s, want POST /v1/workspaces", request.method, request.rawPath)
	}
	if got := request.header.Get("Authorization"); got != "Bearer "+testToken {
		t.Errorf("Authorization = %q", got)
	}
	if got := request.header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type = %q", got)
	}
	if request.header.Get("Idempotency-Key") == "" {
		t.Error("POST sent no Idempotency-Key")
	}
	var body map[string]any
	if err := json.Unmarshal([]byte(request.body), &body); err != nil {
		t.Fatalf("request body %q: %v", request.body, err)
	}
	if body["display_name"] != "Alpha" {
		t.Errorf("request body %s does not use the proto field name display_name", request.body)
	}
}

func TestClient_RetriesTooManyRequestsHonouringRetryAfter(t *testing.T) {
	limited := scriptedResponse{status: http.StatusTooManyRequests, header: map[string]string{"Retry-After": "3"},
		body: `{"code":"resource_exhausted","message":"slow down"}`}
	c, rec, waits := newTestClient(t, limited, limited, scriptedResponse{status: http.StatusOK, body: workspaceJSON})

	if _, err := c.GetWorkspace(context.Background(), "alpha"); err != nil {
		t.Fatalf("GetWorkspace: %v", err)
	}
	if got := len(rec.received()); got != 3 {
		t.Errorf("got %d attempts, want 3", got)
	}
	want := []time.Duration{3 * time.Second, 3 * time.Second}
	if !slices.Equal(*waits, want) {
		t.Errorf("waits = %v, want %v", *waits, want)
	}
}

func TestClient_RetryAfterIsCappedAtMaxBackoff(t *testing.T) {
	c, _, waits := newTestClient(t,
		scriptedResponse{status: http.StatusServiceUnavailable, header: map[string]string{"Retry-After": "3600"}},
		scriptedResponse{status: http.StatusOK, body: workspaceJSON})

	if _, err := c.GetWorkspace(context.Background(), "alpha"); err != nil {
		t.Fatalf("GetWorkspace: %v", err)
	}
	if want := []time.Duration{10 * time.Second}; !slices.Equal(*waits, want) {
		t.Errorf("waits = %v, want %v", *waits, want)
	}
}

func TestClient_RetriesServerErrorsWithGrowingBackoffThenGivesUp(t *testing.T) {
	c, rec, waits := newTestClient(t, scriptedResponse{status: http.StatusInternalServerError,
		body: `{"code":"internal","message":"database is locked"}`})

	_, err := c.GetWorkspace(context.Background(), "alpha")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusInternalServerError || apiErr.Code != "internal" {
		t.Fatalf("error = %v, want the daemon's 500", err)
	}
	if got := len(rec.received()); got != 5 {
		t.Errorf("got %d attempts, want 5", got)
	}
	if len(*waits) != 4 {
		t.Fatalf("waits = %v, want 4 of them", *waits)
	}
	for i, wait := range *waits {
		base := 100 * time.Millisecond << i
		if wait < base || wait > base+base/5 {
			t.Errorf("wait %d = %v, want %v plus at most 20%% jitter", i, wait, base)
		}
	}
}

func TestClient_DoesNotRetryClientErrors(t *testing.T) {
	c, rec, _ := newTestClient(t, scriptedResponse{status: http.StatusBadRequest,
		body: `{"code":"invalid_argument","message":"name: must be a DNS label","details":{"field":"name","reason":"dns_label"}}`})

	_, err := c.CreateWorkspace(context.Background(), &rampartv1.CreateWorkspaceRequest{Name: "Bad_Name"})
	if err == nil {
		t.Fatal("CreateWorkspace succeeded, want 400")
	}
	if got := len(rec.received()); got != 1 {
		t.Errorf("got %d attempts, want 1", got)
	}
}

// A create may be repeated after a 429, a 5xx or a dropped connection: the daemon answers a
// repeat of its Idempotency-Key with what the first attempt made, if it made anything.
func TestClient_RetriedCreateKeepsItsIdempotencyKey(t *testing.T) {
	for name, failure := range map[string]scriptedResponse{
		"429":                {status: http.StatusTooManyRequests},
		"502":                {status: http.StatusBadGateway},
		"dropped connection": {hangUp: true},
	} {
		t.Run(name, func(t *testing.T) {
			c, rec, _ := newTestClient(t, failure, scriptedResponse{status: http.StatusCreated, body: workspaceJSON})
			if _, err := c.CreateWorkspace(context.Background(), &rampartv1.CreateWorkspaceRequest{Name: "alpha"}); err != nil {
				t.Fatalf("CreateWorkspace: %v", err)
			}
			requests := rec.received()
			if len(requests) != 2 {
				t.Fatalf("got %d attempts, want 2", len(requests))
			}
			first, second := requests[0].header.Get("Idempotency-Key"), requests[1].header.Get("Idempotency-Key")
			if first == "" || first != second {
				t.Errorf("Idempotency-Key %q then %q, want one non-empty key", first, second)
			}
			if requests[0].body != requests[1].body {
				t.Errorf("retry sent body %q, first attempt %q", requests[1].body, requests[0].body)
			}
		})
	}
}

// A 5xx after an update may hide a change that did commit; retrying it would turn success
// into a 412 (its If-Match is stale by then), so updates do not retry server errors (503
// replica_behind excepted: TestClient_RetriesReplicaBehindHonouringRetryAfter).
func TestClient_DoesNotRetryServerErrorsForUpdates(t *testing.T) {
	for name, failure := range map[string]scriptedResponse{
		"502": {status: http.StatusBadGateway},
		"503 unavailable": {status: http.StatusServiceUnavailable, header: map[string]string{"Retry-After": "1"},
			body: `{"code":"unavailable","message":"the database is unreachable"}`},
	} {
		t.Run(name, func(t *testing.T) {
			c, rec, _ := newTestClient(t, failure, scriptedResponse{status: http.StatusOK, body: workspaceJSON})
			_, err := c.UpdateWorkspace(context.Background(), "alpha", &rampartv1.UpdateWorkspaceRequest{}, 1)
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.Status != failure.status {
				t.Fatalf("error = %v, want the %d", err, failure.status)
			}
			if got := len(rec.received()); got != 1 {
				t.Errorf("got %d attempts, want 1", got)
			}
		})
	}
}

func TestClient_RetriesConnectionErrorsOnlyForIdempotentMethods(t *testing.T) {
	hangUp := scriptedResponse{hangUp: true}

	c, rec, _ := newTestClient(t, hangUp, scriptedResponse{status: http.StatusOK, body: workspaceJSON})
	if _, err := c.GetWorkspace(context.Background(), "alpha"); err != nil {
		t.Fatalf("GetWorkspace after one dropped connection: %v", err)
	}
	if got := len(rec.received()); got != 2 {
		t.Errorf("GET: got %d attempts, want 2", got)
	}

	c, rec, _ = newTestClient(t, hangUp, scriptedResponse{status: http.StatusOK, body: workspaceJSON})
	if _, err := c.UpdateWorkspace(context.Background(), "alpha", &rampartv1.UpdateWorkspaceRequest{}, 1); err == nil {
		t.Error("PATCH after a dropped connection succeeded, want the connection error")
	}
	if got := len(rec.received()); got != 1 {
		t.Errorf("PATCH: got %d attempts, want 1", got)
	}
}

// Each request asks for the newest change any earlier answer carried, so a read that
// reaches another replica cannot see a state older than the provider's own writes.
func TestClient_SendsNewestChangeNumberSeen(t *testing.T) {
	answer := func(status int, changeNumber string) scriptedResponse {
		response := scriptedResponse{status: status, body: workspaceJSON}
		if changeNumber != "" {
			response.header = map[string]string{"Rampart-Change-Number": changeNumber}
		}
		return response
	}
	c, rec, _ := newTestClient(t,
		answer(http.StatusOK, ""),   // a daemon that sends no number
		answer(http.StatusOK, "41"), // the first number
		answer(http.StatusNotFound, "42"),
		answer(http.StatusOK, "7"),            // a replica further behind: not a step back
		answer(http.StatusOK, "not a number"), // a proxy's own answer
		answer(http.StatusOK, "43"))
	ctx := context.Background()
	for range 6 {
		_, _ = c.GetWorkspace(ctx, "alpha")
	}

	var got []string
	for _, request := range rec.received() {
		got = append(got, request.header.Get("Rampart-Min-Change-Number"))
	}
	if want := []string{"", "", "41", "42", "42", "42"}; !slices.Equal(got, want) {
		t.Errorf("Rampart-Min-Change-Number per request = %q, want %q", got, want)
	}
	if _, present := rec.received()[1].header["Rampart-Min-Change-Number"]; present {
		t.Error("Rampart-Min-Change-Number sent before any answer carried a change number")
	}
}

// Terraform reads and writes many resources at once; the newest number must win however
// the answers interleave (run with -race).
func TestClient_NewestChangeNumberUnderConcurrentRequests(t *testing.T) {
	const requests = 32
	var responses []scriptedResponse
	for i := range requests {
		// 1 to 32 out of order: 1, 8, 15, 22, 29, 4, ...
		number := i*7%requests + 1
		responses = append(responses, scriptedResponse{status: http.StatusOK, body: workspaceJSON,
			header: map[string]string{"Rampart-Change-Number": strconv.Itoa(number)}})
	}
	c, rec, _ := newTestClient(t, responses...)

	var wg sync.WaitGroup
	for range requests {
		wg.Go(func() { _, _ = c.GetWorkspace(context.Background(), "alpha") })
	}
	wg.Wait()
	if _, err := c.GetWorkspace(context.Background(), "alpha"); err != nil {
		t.Fatalf("GetWorkspace: %v", err)
	}
	received := rec.received()
	if got := received[len(received)-1].header.Get("Rampart-Min-Change-Number"); got != strconv.Itoa(requests) {
		t.Errorf("Rampart-Min-Change-Number after %d answers = %q, want %d", requests, got, requests)
	}
}

// A replica that has not caught up turns the request away before doing anything, so even
// an update (which does not retry other 5xx answers) is retried, after Retry-After, still
// asking for the newest change seen.
func TestClient_RetriesReplicaBehindHonouringRetryAfter(t *testing.T) {
	behind := scriptedResponse{status: http.StatusServiceUnavailable,
		header: map[string]string{"Retry-After": "1", "Rampart-Change-Number": "8"},
		body:   `{"code":"unavailable","message":"this replica has not yet applied change 9","details":{"field":"Rampart-Min-Change-Number","reason":"replica_behind"}}`}
	caughtUp := scriptedResponse{status: http.StatusOK, body: workspaceJSON,
		header: map[string]string{"Rampart-Change-Number": "9"}}
	for name, send := range map[string]func(*Client) error{
		"GET": func(c *Client) error {
			_, err := c.GetWorkspace(context.Background(), "alpha")
			return err
		},
		"PATCH": func(c *Client) error {
			_, err := c.UpdateWorkspace(context.Background(), "alpha", &rampartv1.UpdateWorkspaceRequest{}, 3)
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			c, rec, waits := newTestClient(t, caughtUp, behind, caughtUp)
			if _, err := c.GetWorkspace(context.Background(), "alpha"); err != nil {
				t.Fatalf("first GetWorkspace: %v", err)
			}
			if err := send(c); err != nil {
				t.Fatalf("%s after one replica_behind: %v", name, err)
			}
			requests := rec.received()
			if len(requests) != 3 {
				t.Fatalf("got %d requests, want 3 (a read, then the %s twice)", len(requests), name)
			}
			for _, request := range requests[1:] {
				if got := request.header.Get("Rampart-Min-Change-Number"); got != "9" {
					t.Errorf("%s attempt sent Rampart-Min-Change-Number %q, want 9", request.method, got)
				}
			}
			if want := []time.Duration{time.Second}; !slices.Equal(*waits, want) {
				t.Errorf("waits = %v, want %v", *waits, want)
			}
		})
	}
}

func TestClient_ParsesErrorBody(t *testing.T) {
	c, _, _ := newTestClient(t, scriptedResponse{status: http.StatusConflict,
		body: `{"code":"already_exists","message":"name: \"alpha\" is taken in this organization","details":{"field":"name","reason":"taken"},"request_id":"r1"}`})

	_, err := c.CreateWorkspace(context.Background(), &rampartv1.CreateWorkspaceRequest{Name: "alpha"})
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error %v (%T) is not an *APIError", err, err)
	}
	want := APIError{Status: 409, Code: "already_exists", Message: `name: "alpha" is taken in this organization`, Field: "name", Reason: "taken"}
	if *apiErr != want {
		t.Errorf("APIError = %+v, want %+v", *apiErr, want)
	}
	if !strings.Contains(err.Error(), "is taken") {
		t.Errorf("Error() = %q does not carry the daemon's message", err.Error())
	}
	if IsNotFound(err) {
		t.Error("IsNotFound(409) = true")
	}
}

func TestClient_IsNotFound(t *testing.T) {
	c, _, _ := newTestClient(t, scriptedResponse{status: http.StatusNotFound,
		body: `{"code":"not_found","message":"workspace \"ghost\" not found"}`})

	_, err := c.GetWorkspace(context.Background(), "ghost")
	if !IsNotFound(err) {
		t.Errorf("IsNotFound(%v) = false", err)
	}
	if IsNotFound(errors.New("other")) || IsNotFound(nil) {
		t.Error("IsNotFound is true for an error that is not a 404")
	}
}

func TestClient_ErrorBodyThatIsNotRampartJSON(t *testing.T) {
	c, _, _ := newTestClient(t, scriptedResponse{status: http.StatusForbidden, body: "<html>proxy says no</html>"})

	_, err := c.GetWorkspace(context.Background(), "alpha")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusForbidden || apiErr.Message != "<html>proxy says no</html>" {
		t.Errorf("error = %#v, want a 403 quoting the body", err)
	}
}

func TestClient_SendsIfMatchOnlyWhenRevisionGiven(t *testing.T) {
	c, rec, _ := newTestClient(t, scriptedResponse{status: http.StatusOK, body: workspaceJSON})
	ctx := context.Background()

	if _, err := c.UpdateWorkspace(ctx, "ws_0123456789abcdef", &rampartv1.UpdateWorkspaceRequest{Name: proto.String("alpha")}, 7); err != nil {
		t.Fatalf("UpdateWorkspace: %v", err)
	}
	if _, err := c.UpdateWorkspace(ctx, "alpha", &rampartv1.UpdateWorkspaceRequest{Name: proto.String("alpha")}, 0); err != nil {
		t.Fatalf("UpdateWorkspace: %v", err)
	}
	rec.responses = []scriptedResponse{{status: http.StatusNoContent}}
	if err := c.DeleteProject(ctx, "alpha", "recsys", 4); err != nil {
		t.Fatalf("DeleteProject: %v", err)
	}

	requests := rec.received()
	want := []struct{ method, path, ifMatch string }{
		{http.MethodPatch, "/v1/workspaces/ws_0123456789abcdef", `"7"`},
		{http.MethodPatch, "/v1/workspaces/alpha", ""},
		{http.MethodDelete, "/v1/workspaces/alpha/projects/recsys", `"4"`},
	}
	for i, w := range want {
		got := requests[i]
		if got.method != w.method || got.rawPath != w.path || got.header.Get("If-Match") != w.ifMatch {
			t.Errorf("request %d = %s %s If-Match %q, want %s %s If-Match %q",
				i, got.method, got.rawPath, got.header.Get("If-Match"), w.method, w.path, w.ifMatch)
		}
	}
}

func TestClient_UpdateSendsEmptyValuesThatReset(t *testing.T) {
	c, rec, _ := newTestClient(t, scriptedResponse{status: http.StatusOK, body: workspaceJSON})

	_, err := c.UpdateProject(context.Background(), "alpha", "recsys", &rampartv1.UpdateProjectRequest{
		Name: proto.String("recsys"), DisplayName: proto.String(""), Description: proto.String(""),
	}, 2)
	if err != nil {
		t.Fatalf("UpdateProject: %v", err)
	}
	var body map[string]any
	if err := json.Unmarshal([]byte(rec.received()[0].body), &body); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"name": "recsys", "display_name": "", "description": "", "labels": map[string]any{}}
	if len(body) != len(want) {
		t.Errorf("PATCH body = %v, want %v", body, want)
	}
	for key, value := range want {
		gotJSON, _ := json.Marshal(body[key])
		wantJSON, _ := json.Marshal(value)
		if _, present := body[key]; !present || string(gotJSON) != string(wantJSON) {
			t.Errorf("PATCH body %s = %s, want %s", key, gotJSON, wantJSON)
		}
	}
}

func TestClient_PatchLeavesUnsetOptionalFieldsOut(t *testing.T) {
	c, rec, _ := newTestClient(t, scriptedResponse{status: http.StatusOK, body: workspaceJSON})

	if _, err := c.UpdateWorkspace(context.Background(), "alpha", &rampartv1.UpdateWorkspaceRequest{Description: proto.String("new")}, 0); err != nil {
		t.Fatalf("UpdateWorkspace: %v", err)
	}
	var body map[string]json.RawMessage
	if err := json.Unmarshal([]byte(rec.received()[0].body), &body); err != nil {
		t.Fatal(err)
	}
	if len(body) != 2 || string(body["description"]) != `"new"` || string(body["labels"]) != `{}` {
		t.Errorf("PATCH body = %s, want description and labels only", rec.received()[0].body)
	}
}

func TestClient_EscapesPathSegments(t *testing.T) {
	c, rec, _ := newTestClient(t, scriptedResponse{status: http.StatusOK, body: workspaceJSON})

	if _, err := c.GetProject(context.Background(), "a/b", "c?d#e f"); err != nil {
		t.Fatalf("GetProject: %v", err)
	}
	if got, want := rec.received()[0].rawPath, "/v1/workspaces/a%2Fb/projects/c%3Fd%23e%20f"; got != want {
		t.Errorf("path = %s, want %s", got, want)
	}
}

func TestClient_EndpointWithPathPrefix(t *testing.T) {
	rec := &recorder{t: t, responses: []scriptedResponse{{status: http.StatusOK, body: `{"items":[]}`}}}
	server := httptest.NewServer(rec)
	t.Cleanup(server.Close)
	c, err := New(server.URL+"/rampart/", testToken)
	if err != nil {
		t.Fatal(err)
	}
	items, err := c.ListWorkspaces(context.Background())
	if err != nil || len(items) != 0 {
		t.Fatalf("ListWorkspaces = %v, %v", items, err)
	}
	if got := rec.received()[0].rawPath; got != "/rampart/v1/workspaces" {
		t.Errorf("path = %s, want /rampart/v1/workspaces", got)
	}
}

func TestClient_CancelledContextStopsRetrying(t *testing.T) {
	rec := &recorder{t: t, responses: []scriptedResponse{{status: http.StatusServiceUnavailable, header: map[string]string{"Retry-After": "1"}}}}
	server := httptest.NewServer(rec)
	t.Cleanup(server.Close)
	c, err := New(server.URL, testToken)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = c.GetWorkspace(ctx, "alpha")
	if err == nil {
		t.Fatal("GetWorkspace succeeded against a server that only answers 503")
	}
	if elapsed := time.Since(start); elapsed > 900*time.Millisecond {
		t.Errorf("GetWorkspace took %v after its context ended", elapsed)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		value  string
		want   time.Duration
		wantOK bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"7", 7 * time.Second, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
	} {
		header := http.Header{}
		if tc.value != "" {
			header.Set("Retry-After", tc.value)
		}
		got, ok := parseRetryAfter(header, now)
		if got != tc.want || ok != tc.wantOK {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tc.value, got, ok, tc.want, tc.wantOK)
		}
	}
}

func TestNew_RejectsUnusableEndpointOrToken(t *testing.T) {
	for _, tc := range []struct{ endpoint, token string }{
		{"127.0.0.1:8080", testToken},
		{"ftp://example.com", testToken},
		{"http://", testToken},
		{"http://127.0.0.1:8080", ""},
	} {
		if _, err := New(tc.endpoint, tc.token); err == nil {
			t.Errorf("New(%q, %q) succeeded", tc.endpoint, tc.token)
		}
	}
}
