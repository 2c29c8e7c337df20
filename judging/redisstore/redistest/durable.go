package redistest

import (
	"net"
	"strconv"
	"testing"
)

// Durable is a throwaway redis-server run as the README tells production to run Redis
// (appendonly yes, appendfsync always), which a test may crash with Kill9 and bring back on
// the same port and files with Restart.
type Durable struct {
	tb   testing.TB
	Addr string
	port int
	dir  string
	kill func()
}

// durableArgs is the persistence docker-compose.yml and the README configure.
var durableArgs = []string{"--appendonly", "yes", "--appendfsync", "always", "--save", ""}

// NewDurable starts a durable throwaway server; without a redis-server the test is skipped,
// since the embedded fallback has its own persistence (tested on its own).
func NewDurable(tb testing.TB) *Durable {
	tb.Helper()
	if fallback() {
		tb.Skip("a durable Redis needs a redis-server; skipped on the embedded fallback")
	}
	d := &Durable{tb: tb, dir: tb.TempDir()}
	for range startAttempts {
		port, err := freePort()
		if err != nil {
			tb.Fatal(err)
		}
		addr, kill, err := startRedisAt(tb, port, d.dir, durableArgs...)
		if err == nil {
			d.Addr, d.port, d.kill = addr, port, kill
			return d
		}
	}
	tb.Fatal("redistest: no durable redis-server could be started")
	return nil
}

// Kill9 kills the server with SIGKILL: no shutdown, no final save.
func (d *Durable) Kill9() { d.kill() }

// Restart starts the server again on the same port and files.
func (d *Durable) Restart() {
	d.tb.Helper()
	addr, kill, err := startRedisAt(d.tb, d.port, d.dir, durableArgs...)
	if err != nil {
		d.tb.Fatalf("redistest: restart %s: %v", net.JoinHostPort("127.0.0.1", strconv.Itoa(d.port)), err)
	}
	d.Addr, d.kill = addr, kill
}
