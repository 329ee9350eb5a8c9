// Command httpload drives one HTTP request, over and over, on keep-alive connections, and
// prints its rate and latency percentiles. The HTTP benchmark (tests/bench/http_check_bench.sh)
// runs it against rampartd's GET /healthz and POST /v1/check in the same run.
//
// Each connection is one goroutine with a transport of its own holding one keep-alive
// connection, sending requests back to back. Requests during the warm-up are not counted.
// A non-2xx answer or a transport error is counted as an error; any error makes the exit
// status 1, so that a broken setup is not mistaken for a measurement.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"sync"
	"time"
)

type result struct {
	sent      int // warm-up included
	latencies []time.Duration
	errors    int
	firstErr  string
}

func main() {
	url := flag.String("url", "", "the URL to request (required)")
	method := flag.String("method", "GET", "GET or POST")
	body := flag.String("body", "", "the request body (POST), sent as application/json")
	token := flag.String("token", "", "sent as Authorization: Bearer TOKEN when set")
	connections := flag.Int("connections", 8, "concurrent keep-alive connections")
	duration := flag.Duration("duration", 5*time.Second, "how long to measure")
	warmup := flag.Duration("warmup", time.Second, "how long to send before measuring")
	label := flag.String("label", "", "prefix of every printed line")
	flag.Parse()
	if *url == "" || *connections < 1 {
		fmt.Fprintln(os.Stderr, "httpload: -url is required and -connections must be at least 1")
		os.Exit(2)
	}

	payload := []byte(*body)
	start := time.Now()
	measureFrom := start.Add(*warmup)
	stopAt := measureFrom.Add(*duration)
	results := make([]result, *connections)
	var wg sync.WaitGroup
	for c := 0; c < *connections; c++ {
		wg.Add(1)
		go func(r *result) {
			defer wg.Done()
			client := &http.Client{Transport: &http.Transport{
				MaxIdleConnsPerHost: 1,
				MaxConnsPerHost:     1,
				DisableCompression:  true,
			}}
			for {
				sent := time.Now()
				if sent.After(stopAt) {
					return
				}
				err := send(client, *method, *url, payload, *token)
				r.sent++
				if sent.Before(measureFrom) {
					continue
				}
				if err != nil {
					r.errors++
					if r.firstErr == "" {
						r.firstErr = err.Error()
					}
					continue
				}
				r.latencies = append(r.latencies, time.Since(sent))
			}
		}(&results[c])
	}
	wg.Wait()

	var all []time.Duration
	errors, sent := 0, 0
	firstErr := ""
	for _, r := range results {
		sent += r.sent
		all = append(all, r.latencies...)
		errors += r.errors
		if firstErr == "" {
			firstErr = r.firstErr
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	percentile := func(p float64) float64 {
		if len(all) == 0 {
			return 0
		}
		return float64(all[int(p*float64(len(all)-1))].Microseconds()) / 1000
	}
	fmt.Printf("%s: requests: %d\n", *label, len(all))
	fmt.Printf("%s: requests sent, warm-up included: %d\n", *label, sent)
	fmt.Printf("%s: requests/s: %.0f\n", *label, float64(len(all))/duration.Seconds())
	fmt.Printf("%s: p50 latency: %.3f ms\n", *label, percentile(0.50))
	fmt.Printf("%s: p99 latency: %.3f ms\n", *label, percentile(0.99))
	fmt.Printf("%s: errors: %d\n", *label, errors)
	if errors > 0 {
		fmt.Fprintf(os.Stderr, "httpload: %d errors, the first: %s\n", errors, firstErr)
		os.Exit(1)
	}
}

// send makes one request and reads the whole answer, so that the connection is reused.
func send(client *http.Client, method, url string, body []byte, token string) error {
	var reader io.Reader
	if len(body) > 0 {
		reader = bytes.NewReader(body)
	}
	request, err := http.NewRequest(method, url, reader)
	if err != nil {
		return err
	}
	if len(body) > 0 {
		request.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		request.Header.Set("Authorization", "Bearer "+token)
	}
	response, err := client.Do(request)
	if err != nil {
		return err
	}
	defer response.Body.Close()
	if _, err := io.Copy(io.Discard, response.Body); err != nil {
		return err
	}
	if response.StatusCode < 200 || response.StatusCode > 299 {
		return fmt.Errorf("%s %s: status %d", method, url, response.StatusCode)
	}
	return nil
}
