package judgingtest

import (
	"errors"
	"testing"

	"github.com/awards-dev/awards/judging"
)

// Must returns v once the test has checked that err is nil: Must(f())(t).
func Must[T any](v T, err error) func(testing.TB) T {
	return func(tb testing.TB) T {
		tb.Helper()
		if err != nil {
			tb.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

// Must2 is Must for two results.
func Must2[A, B any](a A, b B, err error) func(testing.TB) (A, B) {
	return func(tb testing.TB) (A, B) {
		tb.Helper()
		if err != nil {
			tb.Fatalf("unexpected error: %v", err)
		}
		return a, b
	}
}

// WantErr checks that err is want and of want's kind (and so answered with want's status).
func WantErr(tb testing.TB, err error, want *judging.Error) {
	tb.Helper()
	if !errors.Is(err, want) {
		tb.Fatalf("err = %v, want %v", err, want)
	}
	if got := judging.ErrorKind(err); got != want.Kind {
		tb.Fatalf("kind of %v = %v, want %v", err, got, want.Kind)
	}
}

// WantInvalid checks that err is a 422-kind error with this code.
func WantInvalid(tb testing.TB, err error, code string) {
	tb.Helper()
	var e *judging.Error
	if !errors.As(err, &e) {
		tb.Fatalf("err = %v, want a judging.Error %q", err, code)
	}
	if e.Kind != judging.KindInvalid || e.Code != code {
		tb.Fatalf("err = %v (kind %v), want kind %v code %q", err, e.Kind, judging.KindInvalid, code)
	}
}
