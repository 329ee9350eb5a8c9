package client

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Reads of many objects of one collection, as a refresh makes them (Terraform reads up to
// ten objects at once), are coalesced into one list request with ids=...: a refresh of a
// thousand objects makes about a hundred requests instead of a thousand.

const (
	// batchWindow is how long the first read of a batch waits for others to join it.
	batchWindow = time.Millisecond
	// maxBatch bounds the ids of one request: they must fit the daemon's 8 KiB request line.
	maxBatch = 100
)

// readBatch is the reads of one collection sent together.
type readBatch struct {
	collection []string
	ids        []string
	once       sync.Once
	done       chan struct{}
	found      map[string]Object // by id, once done
}

// batches holds the batches still gathering reads, by collection path.
type batches struct {
	mu      sync.Mutex
	pending map[string]*readBatch
}

// ReadInCollection reads the object with this id in collection (GET collection/id), through
// a batch shared with concurrent reads of the same collection. An object the list does not
// show (deleted, or not listable by this token) is read alone, so that its error says which.
func (c *Client) ReadInCollection(ctx context.Context, collection []string, id string) (Object, error) {
	key := strings.Join(collection, "/")
	c.batches.mu.Lock()
	if c.batches.pending == nil {
		c.batches.pending = map[string]*readBatch{}
	}
	batch := c.batches.pending[key]
	if batch == nil {
		batch = &readBatch{collection: collection, done: make(chan struct{})}
		c.batches.pending[key] = batch
		time.AfterFunc(batchWindow, func() { c.sendBatch(key, batch) })
	}
	batch.ids = append(batch.ids, id)
	full := len(batch.ids) >= maxBatch
	if full {
		delete(c.batches.pending, key) // later reads start a batch of their own
	}
	c.batches.mu.Unlock()
	if full {
		go c.sendBatch(key, batch)
	}

	select {
	case <-batch.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if object, ok := batch.found[id]; ok {
		return maps.Clone(object), nil
	}
	return c.DoJSON(ctx, http.MethodGet, append(append([]string{}, collection...), id), nil, 0)
}

// sendBatch lists the batch's objects, once; a failed list leaves found empty, so that each read
// is made alone and reports its own error.
func (c *Client) sendBatch(key string, batch *readBatch) {
	batch.once.Do(func() {
		c.batches.mu.Lock()
		if c.batches.pending[key] == batch {
			delete(c.batches.pending, key)
		}
		ids := batch.ids
		c.batches.mu.Unlock()

		batch.found = map[string]Object{}
		query := url.Values{"ids": {strings.Join(ids, ",")}, "page_size": {strconv.Itoa(max(len(ids), 1))}}
		answer, err := c.GetJSON(context.Background(), batch.collection, query)
		if err == nil {
			items, _ := answer["items"].([]any)
			for _, item := range items {
				if object, ok := item.(map[string]any); ok {
					if id, ok := object["id"].(string); ok {
						batch.found[id] = object
					}
				}
			}
		}
		close(batch.done)
	})
}
