package judgingtest

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/awards-dev/awards/auth"
	"github.com/awards-dev/awards/judging"
)

// CheapHasher keeps the tests fast; production uses auth.DefaultArgon2id.
var CheapHasher = auth.Argon2id{Time: 1, MemoryKiB: 64, Threads: 1, KeyLen: 32, SaltLen: 16}

// ProbeHasher wraps a Hasher: it counts password checks and
// hashes, records how many calls run at once, and holds every call made while HoldAll is in
// force.
type ProbeHasher struct {
	judging.Hasher
	Checks atomic.Int64 // Verify calls
	Hashes atomic.Int64 // Hash calls

	mu                    sync.Mutex
	hold                  chan struct{}
	inFlight, maxInFlight int
}

// Verify counts a check and runs it through the wrapped Hasher.
func (h *ProbeHasher) Verify(hash, pw string) bool {
	h.Checks.Add(1)
	defer h.enter()()
	return h.Hasher.Verify(hash, pw)
}

// Hash counts a hash and runs it through the wrapped Hasher.
func (h *ProbeHasher) Hash(pw string) (string, error) {
	h.Hashes.Add(1)
	defer h.enter()()
	return h.Hasher.Hash(pw)
}

// enter counts a call in, waits while it is held, and returns the func that counts it out.
func (h *ProbeHasher) enter() func() {
	h.mu.Lock()
	h.inFlight++
	h.maxInFlight = max(h.maxInFlight, h.inFlight)
	hold := h.hold
	h.mu.Unlock()
	if hold != nil {
		<-hold
	}
	return func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.inFlight--
	}
}

// HoldAll holds every later call until the returned func is called.
func (h *ProbeHasher) HoldAll() (release func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	hold := make(chan struct{})
	h.hold = hold
	return sync.OnceFunc(func() {
		h.mu.Lock()
		h.hold = nil
		h.mu.Unlock()
		close(hold)
	})
}

// InFlight is how many calls are running (or held) now.
func (h *ProbeHasher) InFlight() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.inFlight
}

// MaxInFlight is the most calls that ever ran at once.
func (h *ProbeHasher) MaxInFlight() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.maxInFlight
}

// WaitInFlight waits until n calls are running (held), or fails tb after a deadline.
func (h *ProbeHasher) WaitInFlight(tb testing.TB, n int) {
	tb.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		got := h.InFlight()
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("%d hashing calls running after 30 s, want %d", got, n)
		}
		time.Sleep(time.Millisecond) // polling, with a deadline
	}
}
