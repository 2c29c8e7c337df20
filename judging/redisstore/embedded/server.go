package embedded

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/alicebob/miniredis/v2/server"
	"github.com/redis/go-redis/v9"
)

// snapshotEvery is how often the loop looks for changes to save; with the time a snapshot
// takes, an acknowledged write reaches the disk well within a second.
const snapshotEvery = 200 * time.Millisecond

// slowSnapshot is the snapshot duration past which the loop paces itself (two snapshots' worth
// of rest after each) and a warning says the dataset has outgrown the embedded store.
const slowSnapshot = 300 * time.Millisecond

// snapshotTimeout bounds one read of the dataset.
const snapshotTimeout = 30 * time.Second

// clockEvery is the resolution of the embedded server's clock, and so of its TTLs, TIME and
// stream ids. miniredis with ClockTTL walks and sorts every key on each command whenever its
// clock has moved (O(n log n) per command, per redis.call inside a script); a clock that
// only moves every clockEvery pays that once per tick instead: measured with 5,000 keys,
// 2.5 ms per HSET with a free-running clock against 0.02 ms with this one.
const clockEvery = 100 * time.Millisecond

// Server is an in-process miniredis whose whole dataset is snapshotted into a directory.
type Server struct {
	mr     *miniredis.Miniredis
	srv    *server.Server // kept apart from mr, whose Server() is cleared by Close
	client *redis.Client  // handed out; its hook marks the dataset dirty
	admin  *redis.Client  // snapshots and restore; marks nothing
	path   string
	logger *slog.Logger

	dirty   atomic.Bool
	saveMu  sync.Mutex // one snapshot at a time, written in the order taken
	failing bool       // guarded by saveMu: the last save failed (logged once until it recovers)
	known   *known     // guarded by saveMu: what the last capture saw
	rest    time.Time  // guarded by saveMu: the loop saves again no sooner than this
	slow    bool       // guarded by saveMu: the slow-snapshot warning was logged
	skipped sync.Map   // key types already warned about

	stop      chan struct{}
	running   sync.WaitGroup // tick and loop
	closeOnce sync.Once
	closeErr  error
}

// Open restores the snapshot in dir (created if needed), starts miniredis on a random local
// port with TTLs in real time, and starts the snapshot loop; logger may be nil (slog.Default()).
func Open(dir string, logger *slog.Logger) (*Server, error) {
	// The server's clock moves in steps of clockEvery: TTLs, TIME and stream ids have that
	// resolution, which keeps every command's cost independent of the number of keys.
	if logger == nil {
		logger = slog.Default()
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("embedded: create data dir: %w", err)
	}
	path := filepath.Join(dir, snapshotName)
	snap, err := readSnapshot(path)
	if err != nil {
		return nil, fmt.Errorf("embedded: snapshot %s is unreadable (%w); "+
			"it was left untouched: restore a good copy, or move it away to start with an empty store", path, err)
	}
	removeStaleTemps(dir)

	mr := miniredis.NewMiniRedis()
	mr.SetTime(time.Now())
	mr.ClockTTL(true)
	if err := mr.StartAddr("127.0.0.1:0"); err != nil {
		return nil, fmt.Errorf("embedded: start: %w", err)
	}
	e := &Server{
		mr:  mr,
		srv: mr.Server(),
		// RESP2: flat replies, as captureScript's are. No read timeout but the context's.
		admin: redis.NewClient(&redis.Options{Addr: mr.Addr(), PoolSize: 2, Protocol: 2,
			ReadTimeout: -1, WriteTimeout: -1, ContextTimeoutEnabled: true}),
		path:   path,
		logger: logger,
		stop:   make(chan struct{}),
	}
	if snap != nil {
		if e.known, err = restore(context.Background(), e.admin, snap, time.Now()); err != nil {
			e.admin.Close()
			mr.Close()
			return nil, fmt.Errorf("embedded: restore %s: %w", path, err)
		}
	}
	e.client = redis.NewClient(&redis.Options{Addr: mr.Addr()})
	e.client.AddHook(dirtyHook{e})

	logger.Warn("embedded store in use: data is kept in " + path +
		" and a crash loses up to 1 s of writes; for production set AWARDS_REDIS_URL to a Redis" +
		" with appendonly yes and appendfsync always (see README)")
	e.running.Add(2)
	go e.tick()
	go e.loop()
	return e, nil
}

// Client returns a go-redis client for the embedded server, for redisstore.New; commands sent
// through it mark the dataset dirty, so that the loop snapshots it within a second.
func (e *Server) Client() redis.UniversalClient { return e.client }

// addr is the embedded server's host:port on the loopback; writes sent by other clients to
// it are saved only by the next snapshot that a write through Client() (or Close) causes.
func (e *Server) addr() string { return e.mr.Addr() }

// flush writes a snapshot now if anything changed since the last one.
func (e *Server) flush() error {
	e.saveMu.Lock()
	defer e.saveMu.Unlock()
	if !e.dirty.Swap(false) {
		return nil
	}
	return e.saveLocked()
}

// Close stops the loop, writes a final snapshot, and closes the client and the server.
func (e *Server) Close() error {
	e.closeOnce.Do(func() {
		close(e.stop)
		e.running.Wait()
		// No command through Client() can follow the final snapshot. The caller may have
		// closed Client() already.
		errClient := e.client.Close()
		if errors.Is(errClient, redis.ErrClosed) {
			errClient = nil
		}
		e.saveMu.Lock()
		e.dirty.Store(false)
		errSave := e.saveLocked()
		e.saveMu.Unlock()
		errAdmin := e.admin.Close()
		e.mr.Close()
		e.closeErr = errors.Join(errSave, errClient, errAdmin)
	})
	return e.closeErr
}

// tick moves the server's clock every clockEvery, apart from loop so that a slow disk does
// not stop the clock.
func (e *Server) tick() {
	defer e.running.Done()
	t := time.NewTicker(clockEvery)
	defer t.Stop()
	for {
		select {
		case <-e.stop:
			return
		case <-t.C:
			e.mr.SetTime(time.Now())
		}
	}
}

// loop saves the dataset every snapshotEvery while something changed.
func (e *Server) loop() {
	defer e.running.Done()
	t := time.NewTicker(snapshotEvery)
	defer t.Stop()
	for {
		select {
		case <-e.stop:
			return
		case <-t.C:
			e.saveMu.Lock()
			if time.Now().After(e.rest) && e.dirty.Swap(false) {
				// The error is logged by saveLocked; the dataset stays dirty and is retried.
				_ = e.saveLocked()
			}
			e.saveMu.Unlock()
		}
	}
}

// saveLocked captures the dataset and replaces the snapshot file; on failure the dataset is
// marked dirty again so that the next tick retries. Callers hold saveMu.
func (e *Server) saveLocked() error {
	start := time.Now()
	err := e.save()
	if d := time.Since(start); d > slowSnapshot {
		// Bound the share of time spent snapshotting a large dataset to about a third.
		e.rest = time.Now().Add(2 * d)
		if !e.slow {
			e.slow = true
			e.logger.Warn("embedded store: a snapshot took " + d.Round(time.Millisecond).String() +
				", so more than 1 s of writes may be lost in a crash; the dataset has outgrown the" +
				" embedded store: set AWARDS_REDIS_URL")
		}
	}
	switch {
	case err != nil:
		e.dirty.Store(true)
		if !e.failing {
			e.logger.Error("embedded store: snapshot failed; retrying", "path", e.path, "err", err)
		}
		e.failing = true
	case e.failing:
		e.logger.Info("embedded store: snapshot written again", "path", e.path)
		e.failing = false
	}
	return err
}

func (e *Server) save() error {
	ctx, cancel := context.WithTimeout(context.Background(), snapshotTimeout)
	defer cancel()
	snap, known, err := capture(ctx, e.admin, e.known, e.warnSkipped)
	if err != nil {
		return fmt.Errorf("embedded: snapshot: %w", err)
	}
	e.known = known
	if err := writeSnapshot(e.path, snap); err != nil {
		return fmt.Errorf("embedded: write snapshot: %w", err)
	}
	return nil
}

func (e *Server) warnSkipped(key, typ string) {
	if _, seen := e.skipped.LoadOrStore(typ, true); !seen {
		e.logger.Warn("embedded store: keys of this type are not kept across restarts", "type", typ, "key", key)
	}
}

// dirtyHook marks the dataset dirty after any command that may write has been answered, so
// that a snapshot taken after the mark always holds the write.
type dirtyHook struct{ e *Server }

func (h dirtyHook) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h dirtyHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		err := next(ctx, cmd)
		if h.e.mayWrite(cmd.Name()) {
			h.e.dirty.Store(true)
		}
		return err
	}
}

func (h dirtyHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		err := next(ctx, cmds)
		for _, cmd := range cmds {
			if h.e.mayWrite(cmd.Name()) {
				h.e.dirty.Store(true)
				break
			}
		}
		return err
	}
}

// noWrite are commands that change no data though miniredis does not flag them read-only.
var noWrite = map[string]bool{
	"ping": true, "echo": true, "hello": true, "auth": true, "client": true, "select": true,
	"quit": true, "info": true, "time": true, "command": true, "dbsize": true, "xinfo": true,
	"publish": true, "spublish": true, "pubsub": true, "subscribe": true, "unsubscribe": true,
	"psubscribe": true, "punsubscribe": true, "ssubscribe": true, "sunsubscribe": true,
	"watch": true, "unwatch": true, "multi": true, "discard": true,
}

// mayWrite reports whether a command may change data: anything not known to be a read,
// scripts (EVAL, EVALSHA) included.
func (e *Server) mayWrite(name string) bool {
	name = strings.ToLower(name)
	return !noWrite[name] && !e.srv.IsReadOnlyCommand(name)
}
