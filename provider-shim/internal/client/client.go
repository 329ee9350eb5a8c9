// Package client is the provider's HTTP client for rampartd's REST API. It speaks JSON
// through the types generated from proto/ (protojson with proto field names), adds the
// bearer token, retries what is safe to retry, and turns error bodies into *APIError.
//
// Behind a load balancer the endpoint may be several rampartd replicas sharing one
// database, each applying committed changes to its in-memory index a moment after the
// others. So that one provider run never sees a state older than one it has already seen
// (its own create, then a read that reaches another replica), the client sends the newest
// change number it has been answered with, and a replica not yet there waits or answers
// 503 (reason replica_behind), which the client retries.
package client

import (
	"bytes"
	"context"
	cryptorand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// Defaults for New; see the With* options.
const (
	DefaultMaxAttempts   = 5
	DefaultMinBackoff    = 500 * time.Millisecond
	DefaultMaxBackoff    = 30 * time.Second
	DefaultTimeout       = 60 * time.Second
	defaultUserAgent     = "terraform-provider-rampart"
	maxResponseBodyBytes = 32 << 20
)

// The replica consistency headers (see the package comment).
const (
	// changeNumberHeader, on every response, is the newest change the answering replica
	// has applied (after a write: at least that write's).
	changeNumberHeader = "Rampart-Change-Number"
	// minChangeNumberHeader asks the replica to answer only once it has applied that change.
	minChangeNumberHeader = "Rampart-Min-Change-Number"
	// reasonReplicaBehind is the details.reason of the 503 from a replica that did not catch up
	// with Rampart-Min-Change-Number in time; it turned the request away unprocessed.
	reasonReplicaBehind = "replica_behind"
)

// Client calls one rampartd endpoint with one token. It is safe for concurrent use.
type Client struct {
	baseURL     *url.URL
	token       string
	httpClient  *http.Client
	userAgent   string
	maxAttempts int
	minBackoff  time.Duration
	maxBackoff  time.Duration
	// sleep waits between attempts; tests replace it to record waits instead of sleeping.
	sleep func(ctx context.Context, d time.Duration) error
	// batches gathers concurrent reads of one collection (ReadInCollection).
	batches batches
	// newestChange is the largest Rampart-Change-Number of any response so far (0: none
	// yet); every request sends it as Rampart-Min-Change-Number. Atomic, as Terraform
	// calls resources concurrently.
	newestChange atomic.Uint64
}

// Option changes a Client built by New.
type Option func(*Client)

// WithHTTPClient makes the Client send its requests through httpClient (TLS settings,
// timeouts, test transports).
func WithHTTPClient(httpClient *http.Client) Option {
	return func(c *Client) { c.httpClient = httpClient }
}

// WithUserAgent sets the User-Agent header of every request.
func WithUserAgent(userAgent string) Option {
	return func(c *Client) { c.userAgent = userAgent }
}

// WithRetry bounds retries: at most maxAttempts attempts in all, waiting minBackoff after
// the first failure and doubling up to maxBackoff. A Retry-After header replaces the
// computed wait but is still capped at maxBackoff.
func WithRetry(maxAttempts int, minBackoff, maxBackoff time.Duration) Option {
	return func(c *Client) {
		c.maxAttempts = max(1, maxAttempts)
		c.minBackoff = minBackoff
		c.maxBackoff = max(minBackoff, maxBackoff)
	}
}

// withSleep replaces the wait between attempts (tests only).
func withSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(c *Client) { c.sleep = sleep }
}

// New returns a Client for the rampartd at endpoint (e.g. "http://127.0.0.1:8080"),
// authenticating with token.
func New(endpoint, token string, opts ...Option) (*Client, error) {
	baseURL, err := url.Parse(strings.TrimSpace(endpoint))
	if err != nil {
		return nil, fmt.Errorf("endpoint %q is not a URL: %w", endpoint, err)
	}
	if baseURL.Scheme != "http" && baseURL.Scheme != "https" {
		return nil, fmt.Errorf("endpoint %q must start with http:// or https://", endpoint)
	}
	if baseURL.Host == "" {
		return nil, fmt.Errorf("endpoint %q has no host", endpoint)
	}
	if token == "" {
		return nil, errors.New("token is empty")
	}
	baseURL.Path = strings.TrimRight(baseURL.Path, "/")
	c := &Client{
		baseURL:     baseURL,
		token:       token,
		httpClient:  &http.Client{Timeout: DefaultTimeout},
		userAgent:   defaultUserAgent,
		maxAttempts: DefaultMaxAttempts,
		minBackoff:  DefaultMinBackoff,
		maxBackoff:  DefaultMaxBackoff,
		sleep:       sleepContext,
	}
	for _, opt := range opts {
		opt(c)
	}
	return c, nil
}

// request is one logical API call; do may send it several times.
type request struct {
	method string
	// segments are the path segments after the base URL, escaped one by one, so a name or
	// id can never smuggle in a '/' or '?'.
	segments []string
	// body, when set, is marshalled with proto field names.
	body proto.Message
	// emitUnpopulated sends empty scalars and maps too: a PATCH that resets labels must
	// send "labels": {} rather than leave the field out.
	emitUnpopulated bool
	// revision, when non-zero, is sent as If-Match: "<revision>".
	revision int64
	// query, when set, is the URL's query string.
	query url.Values
}

// do sends req, retrying as described on Client, and unmarshals a 2xx body into out
// (when out is non-nil and the body is not empty).
func (c *Client) do(ctx context.Context, req request, out proto.Message) error {
	var body []byte
	if req.body != nil {
		var err error
		body, err = protojson.MarshalOptions{UseProtoNames: true, EmitUnpopulated: req.emitUnpopulated}.Marshal(req.body)
		if err != nil {
			return fmt.Errorf("encoding %s request: %w", req.method, err)
		}
	}
	respBody, err := c.exchange(ctx, req, body)
	if err != nil || out == nil || len(bytes.TrimSpace(respBody)) == 0 {
		return err
	}
	if err := (protojson.UnmarshalOptions{DiscardUnknown: true}).Unmarshal(respBody, out); err != nil {
		return fmt.Errorf("%s %s: decoding response: %w", req.method, c.urlFor(req.segments), err)
	}
	return nil
}

// Object is a JSON object as rampartd reads and answers it.
type Object = map[string]any

// DoJSON sends body (nil: none) to the route under segments ("v1", "teams", ...), retrying
// as described on Client; revision, when non-zero, is sent as If-Match. It answers the
// response's JSON object, or nil when the response has no body.
func (c *Client) DoJSON(ctx context.Context, method string, segments []string, body Object, revision int64) (Object, error) {
	var encoded []byte
	if body != nil {
		var err error
		if encoded, err = json.Marshal(body); err != nil {
			return nil, fmt.Errorf("encoding %s request: %w", method, err)
		}
	}
	respBody, err := c.exchange(ctx, request{method: method, segments: segments, revision: revision}, encoded)
	if err != nil {
		return nil, err
	}
	return decodeObject(respBody, method, c.urlFor(segments))
}

// GetJSON reads the route under segments with a query string (GET /v1/access-matrix?scope=...).
func (c *Client) GetJSON(ctx context.Context, segments []string, query url.Values) (Object, error) {
	respBody, err := c.exchange(ctx, request{method: http.MethodGet, segments: segments, query: query}, nil)
	if err != nil {
		return nil, err
	}
	return decodeObject(respBody, http.MethodGet, c.urlFor(segments))
}

// decodeObject reads a response body as a JSON object (nil for an empty body), numbers as
// json.Number so that counts and quotas stay exact.
func decodeObject(body []byte, method, target string) (Object, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, nil
	}
	decoder := json.NewDecoder(bytes.NewReader(body))
	decoder.UseNumber()
	var out Object
	if err := decoder.Decode(&out); err != nil {
		return nil, fmt.Errorf("%s %s: decoding response: %w", method, target, err)
	}
	return out, nil
}

// exchange sends req with body, retrying as described on Client, and answers the body of
// the 2xx response, or an *APIError (or a transport error).
func (c *Client) exchange(ctx context.Context, req request, body []byte) ([]byte, error) {
	target := c.urlFor(req.segments)
	if len(req.query) > 0 {
		target += "?" + req.query.Encode()
	}
	// One key for all attempts of a create: the daemon answers a retried POST whose first
	// attempt did land with what that attempt made.
	idempotencyKey := ""
	if req.method == http.MethodPost {
		idempotencyKey = newIdempotencyKey()
	}

	for attempt := 1; ; attempt++ {
		status, header, respBody, err := c.send(ctx, req, target, body, idempotencyKey)
		if err != nil {
			if ctx.Err() != nil || !isIdempotent(req.method) || attempt >= c.maxAttempts {
				return nil, fmt.Errorf("%s %s: %w", req.method, target, err)
			}
			if err := c.sleep(ctx, c.backoff(attempt, nil)); err != nil {
				return nil, fmt.Errorf("%s %s: %w", req.method, target, err)
			}
			continue
		}
		if status >= 200 && status < 300 {
			return respBody, nil
		}
		apiErr := parseAPIError(status, respBody)
		if !isRetryable(req.method, apiErr) || attempt >= c.maxAttempts {
			return nil, apiErr
		}
		if err := c.sleep(ctx, c.backoff(attempt, header)); err != nil {
			return nil, apiErr
		}
	}
}

// send makes one attempt and returns the status, headers and body.
func (c *Client) send(ctx context.Context, req request, target string, body []byte, idempotencyKey string) (int, http.Header, []byte, error) {
	var bodyReader io.Reader
	if body != nil {
		bodyReader = bytes.NewReader(body)
	}
	httpReq, err := http.NewRequestWithContext(ctx, req.method, target, bodyReader)
	if err != nil {
		return 0, nil, nil, err
	}
	httpReq.Header.Set("Authorization", "Bearer "+c.token)
	httpReq.Header.Set("Accept", "application/json")
	httpReq.Header.Set("User-Agent", c.userAgent)
	if body != nil {
		httpReq.Header.Set("Content-Type", "application/json")
	}
	if req.revision != 0 {
		httpReq.Header.Set("If-Match", strconv.Quote(strconv.FormatInt(req.revision, 10)))
	}
	if idempotencyKey != "" {
		httpReq.Header.Set("Idempotency-Key", idempotencyKey)
	}
	if newest := c.newestChange.Load(); newest != 0 {
		httpReq.Header.Set(minChangeNumberHeader, strconv.FormatUint(newest, 10))
	}
	resp, err := c.httpClient.Do(httpReq)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	c.noteChangeNumber(resp.Header)
	respBody, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBodyBytes))
	if err != nil {
		return 0, nil, nil, fmt.Errorf("reading response: %w", err)
	}
	return resp.StatusCode, resp.Header, respBody, nil
}

// noteChangeNumber raises newestChange to the response's Rampart-Change-Number, whatever
// the status: an error answer has seen that state too. A missing or malformed value (a
// daemon without replicas, a proxy's own error page) leaves it as it was.
func (c *Client) noteChangeNumber(header http.Header) {
	seen, err := strconv.ParseUint(strings.TrimSpace(header.Get(changeNumberHeader)), 10, 64)
	if err != nil {
		return
	}
	for {
		newest := c.newestChange.Load()
		if seen <= newest || c.newestChange.CompareAndSwap(newest, seen) {
			return
		}
	}
}

func (c *Client) urlFor(segments []string) string {
	escaped := make([]string, len(segments))
	for i, segment := range segments {
		escaped[i] = url.PathEscape(segment)
	}
	u := *c.baseURL
	u.RawPath, u.RawQuery, u.Fragment = "", "", ""
	return u.String() + "/" + strings.Join(escaped, "/")
}

// backoff is the wait before attempt+1: Retry-After when the server sent one, otherwise
// minBackoff doubled per attempt with up to 20% jitter; never above maxBackoff.
func (c *Client) backoff(attempt int, header http.Header) time.Duration {
	if wait, ok := parseRetryAfter(header, time.Now()); ok {
		return min(wait, c.maxBackoff)
	}
	wait := c.minBackoff
	for i := 1; i < attempt && wait < c.maxBackoff; i++ {
		wait *= 2
	}
	if wait > 0 {
		wait += time.Duration(rand.Int64N(int64(wait)/5 + 1))
	}
	return min(wait, c.maxBackoff)
}

// parseRetryAfter reads Retry-After as delay-seconds or an HTTP date.
func parseRetryAfter(header http.Header, now time.Time) (time.Duration, bool) {
	value := strings.TrimSpace(header.Get("Retry-After"))
	if value == "" {
		return 0, false
	}
	if seconds, err := strconv.ParseInt(value, 10, 64); err == nil {
		if seconds < 0 {
			return 0, false
		}
		return time.Duration(seconds) * time.Second, true
	}
	if when, err := http.ParseTime(value); err == nil {
		return max(0, when.Sub(now)), true
	}
	return 0, false
}

// isRetryable reports whether the error answer apiErr may be retried. 429 and 503 with
// reason replica_behind mean the request was turned away unprocessed, so any method may retry
// them; after another 5xx the request may have taken effect (e.g. a proxy timed out after
// the daemon committed), so only what is safe to repeat retries. Other 4xx answers would
// come back the same.
func isRetryable(method string, apiErr *APIError) bool {
	if apiErr.Status == http.StatusTooManyRequests ||
		apiErr.Status == http.StatusServiceUnavailable && apiErr.Reason == reasonReplicaBehind {
		return true
	}
	return apiErr.Status >= 500 && isIdempotent(method)
}

// isIdempotent reports whether a request that may or may not have reached the server can
// be sent again without changing the outcome. A POST can: every create carries one
// Idempotency-Key for all its attempts, and the daemon answers a repeat with what the first
// made. A PATCH cannot: its If-Match would fail once the first attempt committed.
func isIdempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions, http.MethodPost:
		return true
	}
	return false
}

func newIdempotencyKey() string {
	var b [16]byte
	_, _ = cryptorand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func sleepContext(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
