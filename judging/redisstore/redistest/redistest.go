// Package redistest gives tests a real, throwaway Redis: a redis-server started on a free
// loopback port for one test and stopped when it ends.
//
// Glossary:
//   - Throwaway server: a redis-server child process with its own temp dir and no
//     persistence, never the one on port 6379.
//   - Fallback: an in-process miniredis (TTLs on the real clock), used when no redis-server
//     is on PATH or AWARDS_TEST_REDIS=embedded is set.
package redistest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

const (
	// startTimeout bounds the wait for one redis-server to listen and answer.
	startTimeout = 10 * time.Second
	// startAttempts is how many ports are tried before giving up (another process may take
	// the free port between our probe and redis-server's bind).
	startAttempts = 5
	// pollEvery is the pause between two connection attempts while a server starts.
	pollEvery = 5 * time.Millisecond
	// userRedisPort is never used: it may be a developer's own Redis.
	userRedisPort = 6379
)

var (
	fallback = sync.OnceValue(func() bool {
		if os.Getenv("AWARDS_TEST_REDIS") == "embedded" {
			return true
		}
		_, err := exec.LookPath("redis-server")
		return err != nil
	})
	announce sync.Once
)

// Embedded reports whether this process is using the miniredis fallback.
func Embedded() bool { return fallback() }

// New returns a client to a throwaway redis-server started for this test on a free loopback port (its own temp dir, no persistence), stopped in tb.Cleanup. When no redis-server binary is on PATH, or AWARDS_TEST_REDIS=embedded is set, it falls back to an in-process miniredis and logs (tb.Logf) that it did, once per process to stdout as well. The client is redis.UniversalClient.
func New(tb testing.TB) redis.UniversalClient {
	tb.Helper()
	addr, _ := Server(tb)
	c := redis.NewClient(&redis.Options{Addr: addr})
	tb.Cleanup(func() { c.Close() })
	return c
}

// Server starts the throwaway server and returns its address and a kill func (for fault tests later); same fallback rules.
func Server(tb testing.TB) (addr string, kill func()) {
	tb.Helper()
	if Embedded() {
		return startMiniredis(tb)
	}
	var errs []error
	for range startAttempts {
		addr, kill, err := startRedis(tb)
		if err == nil {
			return addr, kill
		}
		errs = append(errs, err)
	}
	tb.Fatalf("redistest: no redis-server could be started: %v", errors.Join(errs...))
	return "", nil
}

func startMiniredis(tb testing.TB) (string, func()) {
	tb.Helper()
	why := "no redis-server on PATH"
	if os.Getenv("AWARDS_TEST_REDIS") == "embedded" {
		why = "AWARDS_TEST_REDIS=embedded"
	}
	msg := "redistest: using the in-process miniredis fallback (" + why + ")"
	tb.Logf("%s", msg)
	announce.Do(func() { fmt.Println(msg) })

	mr := miniredis.NewMiniRedis()
	mr.ClockTTL(true)
	if err := mr.StartAddr("127.0.0.1:0"); err != nil {
		tb.Fatalf("redistest: start miniredis: %v", err)
	}
	kill := sync.OnceFunc(mr.Close)
	tb.Cleanup(kill)
	return mr.Addr(), kill
}

// startRedis starts one redis-server on a free port and waits for its PING; a failure to
// bind (or any early exit) is returned so that another port can be tried.
func startRedis(tb testing.TB, extra ...string) (string, func(), error) {
	tb.Helper()
	port, err := freePort()
	if err != nil {
		return "", nil, err
	}
	return startRedisAt(tb, port, tb.TempDir(), append([]string{"--save", "", "--appendonly", "no"}, extra...)...)
}

// startRedisAt starts one redis-server on port with its files in dir; extra arguments come
// after the defaults, so they win.
func startRedisAt(tb testing.TB, port int, dir string, extra ...string) (string, func(), error) {
	tb.Helper()
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	var out bytes.Buffer
	args := append([]string{
		"--port", strconv.Itoa(port),
		"--bind", "127.0.0.1",
		"--dir", dir,
	}, extra...)
	cmd := exec.Command("redis-server", args...)
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Start(); err != nil {
		return "", nil, fmt.Errorf("start redis-server: %w", err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	kill := sync.OnceFunc(func() {
		_ = cmd.Process.Kill()
		<-exited
	})

	// Wait for the port to accept (a plain dial, so that go-redis logs no refusals).
	deadline := time.Now().Add(startTimeout)
	for {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			conn.Close()
			break
		}
		select {
		case <-exited:
			return "", nil, fmt.Errorf("redis-server on port %d exited: %s", port, bytes.TrimSpace(out.Bytes()))
		default:
		}
		if time.Now().After(deadline) {
			kill()
			return "", nil, fmt.Errorf("redis-server on port %d did not listen within %v: %w", port, startTimeout, err)
		}
		time.Sleep(pollEvery)
	}
	c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, DialerRetries: 1})
	defer c.Close()
	// The server must answer, and be ours: another process may have bound the port first
	// while ours failed to.
	pid, err := serverPID(c)
	if err != nil {
		kill()
		return "", nil, fmt.Errorf("redis-server on port %d does not answer: %w", port, err)
	}
	if pid != cmd.Process.Pid {
		kill()
		return "", nil, fmt.Errorf("port %d is answered by another server (pid %d)", port, pid)
	}
	tb.Cleanup(kill)
	return addr, kill, nil
}

// serverPID is the process id a Redis server reports.
func serverPID(c *redis.Client) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	info, err := c.Info(ctx, "server").Result()
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(info) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "process_id:"); ok {
			return strconv.Atoi(v)
		}
	}
	return 0, errors.New("no process_id in INFO server")
}

// freePort asks the kernel for a free loopback port, never userRedisPort.
func freePort() (int, error) {
	for {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, fmt.Errorf("find a free port: %w", err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		if port != userRedisPort {
			return port, nil
		}
	}
}
