package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// A fake collection at /v1/things: lists answer the ids asked for that exist (except
// "hidden", which a list never shows, as for objects the token may read but not list);
// GET /v1/things/ID answers the object or 404.
func thingsServer(t *testing.T, failLists bool) (*Client, *atomic.Int64, *atomic.Int64) {
	t.Helper()
	existing := map[string]bool{"hidden": true}
	for i := 0; i < 300; i++ {
		existing[fmt.Sprintf("t%d", i)] = true
	}
	var lists, gets atomic.Int64
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/v1/things" {
			lists.Add(1)
			if failLists {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			items := []map[string]any{}
			for _, id := range strings.Split(r.URL.Query().Get("ids"), ",") {
				if existing[id] && id != "hidden" {
					items = append(items, map[string]any{"id": id, "revision": 1})
				}
			}
			json.NewEncoder(w).Encode(map[string]any{"items": items})
			return
		}
		gets.Add(1)
		id := strings.TrimPrefix(r.URL.Path, "/v1/things/")
		if !existing[id] {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprintf(w, `{"code":"not_found","message":"thing %s not found"}`, id)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"id": id, "revision": 1})
	}))
	t.Cleanup(server.Close)
	c, err := New(server.URL, testToken, WithRetry(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	return c, &lists, &gets
}

// readAll reads ids concurrently, ten at a time as Terraform does, and returns the answers.
func readAll(t *testing.T, c *Client, ids []string) (map[string]Object, map[string]error) {
	t.Helper()
	var mu sync.Mutex
	found, failed := map[string]Object{}, map[string]error{}
	var wg sync.WaitGroup
	slots := make(chan struct{}, 10)
	for _, id := range ids {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			object, err := c.ReadInCollection(context.Background(), []string{"v1", "things"}, id)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failed[id] = err
				return
			}
			found[id] = object
		}()
	}
	wg.Wait()
	return found, failed
}

func TestReadInCollection_ConcurrentReadsShareListRequests(t *testing.T) {
	c, lists, gets := thingsServer(t, false)
	var ids []string
	for i := 0; i < 300; i++ {
		ids = append(ids, fmt.Sprintf("t%d", i))
	}
	found, failed := readAll(t, c, ids)
	if len(found) != 300 || len(failed) != 0 {
		t.Fatalf("found %d, failed %v; want all 300", len(found), failed)
	}
	for id, object := range found {
		if object["id"] != id {
			t.Errorf("read %s answered %v", id, object)
		}
	}
	if lists.Load() >= 150 || gets.Load() != 0 {
		t.Errorf("%d list requests and %d single reads for 300 concurrent reads; want them batched", lists.Load(), gets.Load())
	}
	t.Logf("300 reads made %d list requests", lists.Load())
}

func TestReadInCollection_WhatAListDoesNotShowIsReadAlone(t *testing.T) {
	c, _, gets := thingsServer(t, false)
	found, failed := readAll(t, c, []string{"t1", "hidden", "gone"})
	if found["t1"] == nil || found["hidden"] == nil {
		t.Errorf("found %v, want t1 and hidden", found)
	}
	if !IsNotFound(failed["gone"]) {
		t.Errorf("reading a deleted object: %v, want its 404", failed["gone"])
	}
	if gets.Load() != 2 {
		t.Errorf("%d single reads, want 2 (hidden and gone)", gets.Load())
	}
}

func TestReadInCollection_AFailedListFallsBackToSingleReads(t *testing.T) {
	c, _, gets := thingsServer(t, true)
	found, failed := readAll(t, c, []string{"t1", "t2", "gone"})
	if len(found) != 2 || !IsNotFound(failed["gone"]) {
		t.Errorf("found %v, failed %v; want t1, t2 and the 404 of gone", found, failed)
	}
	if gets.Load() != 3 {
		t.Errorf("%d single reads, want 3", gets.Load())
	}
}
