package judging

import (
	"context"
	"time"
)

// Password hashing is the costliest thing a request can ask for (argon2id takes tens of MiB
// and tens of milliseconds), so a few hashes run at once and the rest wait a moment, then are
// told to come back: memory stays bounded and a real login stays fast under a flood.
const (
	// DefaultHashWait is how long a request waits for a hashing slot before ErrBusy.
	DefaultHashWait = time.Second
	// BusyRetryAfter is the Retry-After of ErrBusy.
	BusyRetryAfter = time.Second
)

// hashGate bounds concurrent password hashing: a semaphore with a bounded wait.
type hashGate struct {
	slots chan struct{}
	wait  time.Duration
}

func newHashGate(n int, wait time.Duration) hashGate {
	return hashGate{slots: make(chan struct{}, n), wait: wait}
}

// enter takes a slot, waiting at most g.wait (less if ctx ends): else ErrBusy.
func (g hashGate) enter(ctx context.Context) error {
	select {
	case g.slots <- struct{}{}:
		return nil
	default:
	}
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return nil
	case <-t.C:
	case <-ctx.Done():
	}
	return RetryAfter(ErrBusy, BusyRetryAfter)
}

func (g hashGate) leave() { <-g.slots }

// hashPassword hashes pw inside the gate.
func (s *Service) hashPassword(ctx context.Context, pw string) (string, error) {
	if err := s.gate.enter(ctx); err != nil {
		return "", err
	}
	defer s.gate.leave()
	return s.hash.Hash(pw)
}

// verifyPassword checks pw against hash inside the gate.
func (s *Service) verifyPassword(ctx context.Context, hash, pw string) (bool, error) {
	if err := s.gate.enter(ctx); err != nil {
		return false, err
	}
	defer s.gate.leave()
	return s.hash.Verify(hash, pw), nil
}
