package judgingtest

import (
	"context"
	"log/slog"
	"strings"
	"sync"
)

// Logs is a slog.Handler that keeps the records at or above Level, each as its message and
// its attributes (" key=value"), for tests that check what was logged.
type Logs struct {
	Level slog.Level

	mu   sync.Mutex
	msgs []string
}

// Enabled reports whether l keeps records of level lvl.
func (l *Logs) Enabled(_ context.Context, lvl slog.Level) bool { return lvl >= l.Level }

// WithAttrs returns l: the attributes of a derived logger are not kept.
func (l *Logs) WithAttrs([]slog.Attr) slog.Handler { return l }

// WithGroup returns l: groups are not kept.
func (l *Logs) WithGroup(string) slog.Handler { return l }

// Handle keeps r as one line.
func (l *Logs) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Message)
	r.Attrs(func(a slog.Attr) bool {
		b.WriteString(" " + a.Key + "=" + a.Value.String())
		return true
	})
	l.mu.Lock()
	defer l.mu.Unlock()
	l.msgs = append(l.msgs, b.String())
	return nil
}

// Take returns the records kept since the last Take.
func (l *Logs) Take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.msgs
	l.msgs = nil
	return out
}
