package judging

import "time"

// Clock tells the time; deadlines are checked against it, so tests inject a fixed one.
type Clock interface {
	Now() time.Time
}

// SystemClock is the wall clock.
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now() }

// FixedClock is a clock that says what it is set to; tests move it with Set.
type FixedClock struct{ T time.Time }

// Now returns the time the clock is set to.
func (c *FixedClock) Now() time.Time { return c.T }
