package redistest_test

import (
	"context"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/awards-dev/awards/judging/redisstore/redistest"
)

func TestNew(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		// New gives a working client to an empty server.
		ctx := context.Background()
		c := redistest.New(t)
		if got, want := c.DBSize(ctx).Val(), int64(0); got != want {
			t.Fatalf("DBSIZE = %d, want %d", got, want)
		}
		if err := c.Set(ctx, "k", "v", 0).Err(); err != nil {
			t.Fatal(err)
		}
		if got, want := c.Get(ctx, "k").Val(), "v"; got != want {
			t.Fatalf("GET = %q, want %q", got, want)
		}
	})
	t.Run("OKIsolated", func(t *testing.T) {
		// Each call gets its own server: a key written through one is not seen by another.
		ctx := context.Background()
		a, b := redistest.New(t), redistest.New(t)
		if err := a.Set(ctx, "only-in-a", "1", 0).Err(); err != nil {
			t.Fatal(err)
		}
		if got := b.Exists(ctx, "only-in-a").Val(); got != 0 {
			t.Fatalf("EXISTS in the other server = %d, want 0", got)
		}
	})
	t.Run("OKLuaAndTTL", func(t *testing.T) {
		// Scripts run and TTLs count down on the real clock, on either backend.
		ctx := context.Background()
		c := redistest.New(t)
		got, err := c.Eval(ctx, `redis.call('SET', KEYS[1], ARGV[1], 'PX', 50) return redis.call('GET', KEYS[1])`,
			[]string{"t"}, "x").Text()
		if err != nil || got != "x" {
			t.Fatalf("EVAL = %q, %v; want x", got, err)
		}
		deadline := time.Now().Add(5 * time.Second)
		for c.Exists(ctx, "t").Val() != 0 {
			if time.Now().After(deadline) {
				t.Fatal("key with a 50 ms TTL still exists after 5 s")
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}

func TestServer(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		// Server listens on the loopback, never on the default port 6379.
		addr, _ := redistest.Server(t)
		if !strings.HasPrefix(addr, "127.0.0.1:") || strings.HasSuffix(addr, ":6379") {
			t.Fatalf("addr = %q, want 127.0.0.1:<port other than 6379>", addr)
		}
	})
	t.Run("ErrKilled", func(t *testing.T) {
		// After kill the server no longer answers; kill may be called twice.
		ctx := context.Background()
		addr, kill := redistest.Server(t)
		c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, DialerRetries: 1})
		t.Cleanup(func() { c.Close() })
		if err := c.Ping(ctx).Err(); err != nil {
			t.Fatalf("PING before kill: %v", err)
		}
		kill()
		kill()
		if err := c.Ping(ctx).Err(); err == nil {
			t.Fatal("PING after kill succeeded, want an error")
		}
	})
}

func TestEmbedded(t *testing.T) {
	// Embedded reports the backend New really starts: the in-process miniredis when
	// AWARDS_TEST_REDIS=embedded is set or no redis-server is on PATH, else a redis-server
	// child process.
	ctx := context.Background()
	_, noServer := exec.LookPath("redis-server")
	forced := os.Getenv("AWARDS_TEST_REDIS") == "embedded"
	if got, want := redistest.Embedded(), forced || noServer != nil; got != want {
		t.Fatalf("Embedded() = %v with AWARDS_TEST_REDIS=%q and redis-server lookup %v, want %v",
			got, os.Getenv("AWARDS_TEST_REDIS"), noServer, want)
	}
	// Only a real redis-server reports its process in INFO server; miniredis has no such section.
	info, err := redistest.New(t).Info(ctx, "server").Result()
	pid := -1
	for line := range strings.Lines(info) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "process_id:"); ok {
			pid, _ = strconv.Atoi(v)
		}
	}
	if redistest.Embedded() {
		if err == nil {
			t.Fatalf("Embedded() = true, but the server answers INFO server like a redis-server: %q", info)
		}
		return
	}
	if err != nil || pid <= 0 || pid == os.Getpid() {
		t.Fatalf("Embedded() = false, but INFO server = %v, process_id %d (this process is %d): want a redis-server child", err, pid, os.Getpid())
	}
}

func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		_, kill := redistest.Server(b)
		kill()
	}
}
