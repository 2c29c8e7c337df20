package redisstore

import (
	"context"
	"slices"
	"sync"

	"github.com/redis/go-redis/v9"
)

// maxBatch bounds how many calls one pipeline carries.
const maxBatch = 64

// batcher runs one script for many concurrent callers with few round trips: while a pipeline
// is in flight, new calls queue, and when it returns the queue (up to maxBatch calls) goes as
// the next pipeline of EVALSHAs, in the order the calls came. Each call is still its own
// atomic script run and each caller gets its own reply; a caller's calls, made one after the
// other, run in that order. A lone call goes at once, from its caller's goroutine. On a
// Cluster client go-redis splits a pipeline by node, and the scripts' keys share one hash tag.
type batcher struct {
	rdb    redis.UniversalClient
	script *redis.Script

	mu      sync.Mutex
	queue   []*scriptCall
	sending bool // a pipeline is in flight, or about to be

	sent func(n int) // tests: called with each pipeline's size before it is sent
}

// scriptCall is one caller's run of the script.
type scriptCall struct {
	ctx   context.Context
	keys  []string
	args  []any
	cmd   *redis.Cmd
	taken bool          // in a pipeline: no longer the caller's to cancel (under batcher.mu)
	done  chan struct{} // closed once cmd holds the reply
}

func newBatcher(rdb redis.UniversalClient, script *redis.Script) *batcher {
	return &batcher{rdb: rdb, script: script}
}

// Run runs the script with keys and args, in a pipeline with other callers' runs if some are
// waiting. A call whose ctx ends while it waits is never sent and returns ctx's error; one
// whose ctx ends in flight returns ctx's error too, and may have run, as with any Redis call.
func (b *batcher) Run(ctx context.Context, keys []string, args ...any) *redis.Cmd {
	c := &scriptCall{ctx: ctx, keys: keys, args: args, done: make(chan struct{})}
	if err := ctx.Err(); err != nil {
		return failed(ctx, err)
	}
	b.mu.Lock()
	if b.sending {
		b.queue = append(b.queue, c)
		b.mu.Unlock()
		return b.wait(c)
	}
	b.sending = true
	c.taken = true
	b.mu.Unlock()
	b.send(ctx, []*scriptCall{c}) // alone: on its caller's context
	b.handOver()
	return c.cmd
}

// failed is a reply that is err.
func failed(ctx context.Context, err error) *redis.Cmd {
	cmd := redis.NewCmd(ctx)
	cmd.SetErr(err)
	return cmd
}

// wait returns c's reply, or ctx's error if it ends first (taking c out of the queue if it
// is still there).
func (b *batcher) wait(c *scriptCall) *redis.Cmd {
	select {
	case <-c.done:
		return c.cmd
	case <-c.ctx.Done():
	}
	b.mu.Lock()
	if !c.taken {
		if i := slices.Index(b.queue, c); i >= 0 {
			b.queue = slices.Delete(b.queue, i, i+1)
		}
	}
	b.mu.Unlock()
	return failed(c.ctx, c.ctx.Err())
}

// handOver lets the queue that formed meanwhile go on without the caller who sent the last
// pipeline: a goroutine sends pipelines until the queue is empty.
func (b *batcher) handOver() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.queue) == 0 {
		b.sending = false
		return
	}
	go b.drain()
}

// drain sends the queue, maxBatch calls at a time, until it is empty.
func (b *batcher) drain() {
	for {
		b.mu.Lock()
		n := min(len(b.queue), maxBatch)
		if n == 0 {
			b.sending = false
			b.mu.Unlock()
			return
		}
		batch := slices.Clone(b.queue[:n])
		b.queue = slices.Delete(b.queue, 0, n)
		for _, c := range batch {
			c.taken = true
		}
		b.mu.Unlock()
		b.send(context.WithoutCancel(batch[0].ctx), batch) // shared: on none of its callers' cancellation
	}
}

// send runs the calls as one pipeline on ctx and hands each its reply; the calls that found
// the script missing (NOSCRIPT: a restarted or flushed Redis) are run again once it is loaded.
func (b *batcher) send(ctx context.Context, batch []*scriptCall) {
	if b.sent != nil {
		b.sent(len(batch))
	}
	b.pipeline(ctx, batch)
	var missing []*scriptCall
	for _, c := range batch {
		if redis.HasErrorPrefix(c.cmd.Err(), "NOSCRIPT") {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		if err := b.script.Load(ctx, b.rdb).Err(); err == nil {
			b.pipeline(ctx, missing)
		}
	}
	for _, c := range batch {
		close(c.done)
	}
}

// pipeline sends the calls' EVALSHAs in one pipeline.
func (b *batcher) pipeline(ctx context.Context, batch []*scriptCall) {
	_, _ = b.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, c := range batch {
			c.cmd = b.script.EvalSha(ctx, p, c.keys, c.args...)
		}
		return nil
	})
}
