package judgingtest

import (
	"context"
	"sync"

	"github.com/awards-dev/awards/judging"
)

// Recorder is a Publisher that keeps what it is told, for tests to check which events a change
// publishes.
type Recorder struct {
	mu     sync.Mutex
	events []judging.Event
}

// Publish keeps e.
func (r *Recorder) Publish(_ context.Context, e judging.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
	return nil
}

// Take returns the events published since the last Take.
func (r *Recorder) Take() []judging.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.events
	r.events = nil
	return out
}
