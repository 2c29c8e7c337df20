package redisstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/awards-dev/awards/judging/redisstore/redistest"
)

// pushScript appends ARGV[1] to the list KEYS[1] and, if there is a KEYS[2], to that list too;
// it answers KEYS[1]'s new length.
var pushScript = redis.NewScript(`
local mine, all, item = KEYS[1], KEYS[2], ARGV[1]
local n = redis.call('RPUSH', mine, item)
if all then
  redis.call('RPUSH', all, item)
end
return n
`)

// heldBatcher is a batcher on rdb whose first pipeline waits for release, so that calls made
// meanwhile queue; sizes has each pipeline's size.
type heldBatcher struct {
	*batcher
	release chan struct{}
	mu      sync.Mutex
	sizes   []int
}

func newHeldBatcher(rdb redis.UniversalClient) *heldBatcher {
	h := &heldBatcher{batcher: newBatcher(rdb, pushScript), release: make(chan struct{})}
	first := true
	h.sent = func(n int) {
		h.mu.Lock()
		h.sizes = append(h.sizes, n)
		wait := first
		first = false
		h.mu.Unlock()
		if wait {
			<-h.release
		}
	}
	return h
}

// waitQueued polls, with a deadline, until n calls wait in the queue.
func (h *heldBatcher) waitQueued(tb testing.TB, n int) {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		h.mu.Lock()
		h.batcher.mu.Lock()
		got := len(h.queue)
		h.batcher.mu.Unlock()
		h.mu.Unlock()
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("%d calls queued, want %d", got, n)
		}
		time.Sleep(time.Millisecond)
	}
}

func (h *heldBatcher) pipelines() []int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.sizes)
}

// list reads a list, failing tb on error.
func list(tb testing.TB, rdb redis.UniversalClient, key string) []string {
	tb.Helper()
	v, err := rdb.LRange(tb.Context(), key, 0, -1).Result()
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// runQueued starts n calls (item "q<i>" onto key) once the held first call is in flight, waits
// until all are queued, and returns a wait for their replies.
func runQueued(tb testing.TB, h *heldBatcher, n int, key string) (wait func() []int64) {
	tb.Helper()
	replies := make([]int64, n)
	var wg sync.WaitGroup
	for i := range n {
		h.waitQueued(tb, i) // one at a time, so that the queue's order is i's
		wg.Go(func() {
			v, err := h.Run(context.Background(), []string{key}, "q"+strconv.Itoa(i)).Int64()
			if err != nil {
				tb.Errorf("call %d: %v", i, err)
			}
			replies[i] = v
		})
	}
	h.waitQueued(tb, n)
	return func() []int64 {
		wg.Wait()
		return replies
	}
}

func TestBatcher_Run(t *testing.T) {
	rdb := redistest.New(t)
	ctx := t.Context()

	t.Run("OK many callers, each its own reply in its own order", func(t *testing.T) {
		// Concurrent calls share pipelines; each caller gets its own replies, and its calls run
		// in the order it made them: nothing lost, nothing doubled.
		const callers, calls = 32, 40
		b := newBatcher(rdb, pushScript)
		var mu sync.Mutex
		biggest := 0
		b.sent = func(n int) {
			mu.Lock()
			biggest = max(biggest, n)
			mu.Unlock()
		}
		var wg sync.WaitGroup
		for c := range callers {
			wg.Go(func() {
				for i := range calls {
					n, err := b.Run(ctx, []string{fmt.Sprintf("many:{t}:%d", c), "many:{t}:all"}, fmt.Sprintf("%d/%d", c, i)).Int64()
					if err != nil || n != int64(i+1) {
						t.Errorf("caller %d call %d = %d, %v; want %d", c, i, n, err, i+1)
						return
					}
				}
			})
		}
		wg.Wait()
		all := list(t, rdb, "many:{t}:all")
		if got, want := len(all), callers*calls; got != want {
			t.Fatalf("%d items written, want %d", got, want)
		}
		next := make([]int, callers)
		for _, item := range all {
			var c, i int
			if _, err := fmt.Sscanf(item, "%d/%d", &c, &i); err != nil {
				t.Fatal(err)
			}
			if i != next[c] {
				t.Fatalf("caller %d's call %d ran when its call %d was next", c, i, next[c])
			}
			next[c]++
		}
		t.Logf("largest pipeline: %d calls", biggest)
	})

	t.Run("OK calls made while a pipeline is in flight go together, in order", func(t *testing.T) {
		// A lone call goes at once; the calls that queue behind it go as one pipeline.
		h := newHeldBatcher(rdb)
		first := make(chan error, 1)
		go func() { first <- h.Run(ctx, []string{"together"}, "first").Err() }()
		h.waitSent(t, 1)
		wait := runQueued(t, h, 10, "together")
		close(h.release)
		if err := <-first; err != nil {
			t.Fatal(err)
		}
		replies := wait()
		for i, n := range replies {
			if n != int64(i+2) {
				t.Fatalf("queued call %d answered %d, want %d", i, n, i+2)
			}
		}
		if got, want := h.pipelines(), []int{1, 10}; !slices.Equal(got, want) {
			t.Fatalf("pipelines of %v calls, want %v", got, want)
		}
	})

	t.Run("OK a pipeline carries at most maxBatch calls", func(t *testing.T) {
		h := newHeldBatcher(rdb)
		go h.Run(ctx, []string{"bounded"}, "first")
		h.waitSent(t, 1)
		wait := runQueued(t, h, 2*maxBatch+5, "bounded")
		close(h.release)
		wait()
		if got, want := h.pipelines(), []int{1, maxBatch, maxBatch, 5}; !slices.Equal(got, want) {
			t.Fatalf("pipelines of %v calls, want %v", got, want)
		}
		if got, want := len(list(t, rdb, "bounded")), 2*maxBatch+6; got != want {
			t.Fatalf("%d items written, want %d", got, want)
		}
	})

	t.Run("OK NOSCRIPT: the script is loaded and the calls run again", func(t *testing.T) {
		// A Redis that lost its scripts (restarted, flushed) costs one load, not an error.
		h := newHeldBatcher(rdb)
		if err := rdb.ScriptFlush(ctx).Err(); err != nil {
			t.Fatal(err)
		}
		first := make(chan error, 1)
		go func() { first <- h.Run(ctx, []string{"noscript"}, "first").Err() }()
		h.waitSent(t, 1)
		wait := runQueued(t, h, 5, "noscript")
		close(h.release)
		if err := <-first; err != nil {
			t.Fatal(err)
		}
		wait()
		if err := rdb.ScriptFlush(ctx).Err(); err != nil { // the lone path too
			t.Fatal(err)
		}
		if err := h.Run(ctx, []string{"noscript"}, "last").Err(); err != nil {
			t.Fatal(err)
		}
		want := []string{"first", "q0", "q1", "q2", "q3", "q4", "last"}
		if got := list(t, rdb, "noscript"); !slices.Equal(got, want) {
			t.Fatalf("items %v, want %v", got, want)
		}
	})

	t.Run("ErrCanceled a queued call whose context ends is never sent", func(t *testing.T) {
		h := newHeldBatcher(rdb)
		first := make(chan error, 1)
		go func() { first <- h.Run(ctx, []string{"cancel"}, "first").Err() }()
		h.waitSent(t, 1)
		cctx, cancel := context.WithCancel(ctx)
		gaveUp := make(chan error, 1)
		go func() { gaveUp <- h.Run(cctx, []string{"cancel"}, "cancelled").Err() }()
		h.waitQueued(t, 1)
		cancel()
		if err := <-gaveUp; !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled call: err %v, want context.Canceled", err)
		}
		h.waitQueued(t, 0)
		wait := runQueued(t, h, 1, "cancel")
		close(h.release)
		if err := <-first; err != nil {
			t.Fatal(err)
		}
		wait()
		if got, want := list(t, rdb, "cancel"), []string{"first", "q0"}; !slices.Equal(got, want) {
			t.Fatalf("items %v, want %v", got, want)
		}
		// Nor is a lone call whose context has ended already.
		if err := h.Run(cctx, []string{"cancel"}, "late").Err(); !errors.Is(err, context.Canceled) {
			t.Fatalf("call on an ended context: err %v, want context.Canceled", err)
		}
		if got := list(t, rdb, "cancel"); len(got) != 2 {
			t.Fatalf("items %v: the call on an ended context ran", got)
		}
	})
}

// waitSent polls, with a deadline, until n pipelines have been started.
func (h *heldBatcher) waitSent(tb testing.TB, n int) {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for len(h.pipelines()) < n {
		if time.Now().After(deadline) {
			tb.Fatalf("%d pipelines started, want %d", len(h.pipelines()), n)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestBatcher_Run_cluster(t *testing.T) {
	// On Redis Cluster a pipeline is split by node: calls on keys of different slots, sent
	// together, each still get their own reply.
	rdb := redistest.Cluster(t)
	const callers, calls = 16, 20
	b := newBatcher(rdb, pushScript)
	var wg sync.WaitGroup
	for c := range callers {
		wg.Go(func() {
			key := fmt.Sprintf("{caller%d}:items", c) // a slot per caller, spread over the nodes
			for i := range calls {
				n, err := b.Run(t.Context(), []string{key}, strconv.Itoa(i)).Int64()
				if err != nil || n != int64(i+1) {
					t.Errorf("caller %d call %d = %d, %v; want %d", c, i, n, err, i+1)
					return
				}
			}
		})
	}
	wg.Wait()
	for c := range callers {
		if got := list(t, rdb, fmt.Sprintf("{caller%d}:items", c)); len(got) != calls {
			t.Fatalf("caller %d: %d items, want %d", c, len(got), calls)
		}
	}
}
