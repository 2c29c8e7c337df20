package redistest_test

import (
	"context"
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
	// Embedded reports the backend the helper uses, and never changes within a process.
	first := redistest.Embedded()
	redistest.New(t)
	if got := redistest.Embedded(); got != first {
		t.Fatalf("Embedded() = %v after New, was %v", got, first)
	}
	t.Logf("Embedded() = %v", first)
}

func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		_, kill := redistest.Server(b)
		kill()
	}
}
