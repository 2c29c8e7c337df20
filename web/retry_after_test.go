package web

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/awards-dev/awards/judging"
)

func TestRetryAfter(t *testing.T) {
	for _, tc := range []struct {
		name   string
		err    error
		status int
		want   string
	}{
		{"Every 429 carries Retry-After: the wait the error carries", judging.RetryAfter(judging.ErrRateLimited, 90*time.Second), 429, "90"},
		{"Every 429 carries Retry-After: whole seconds rounded up", judging.RetryAfter(judging.ErrRateLimited, 1500*time.Millisecond), 429, "2"},
		{"Every 429 carries Retry-After: at least one second", judging.RetryAfter(judging.ErrRateLimited, time.Millisecond), 429, "1"},
		{"Every 429 carries Retry-After: even when the error says no wait", judging.ErrRateLimited, 429, "60"},
		{"Every 429 carries Retry-After: through wrapping", fmt.Errorf("login: %w", judging.RetryAfter(judging.ErrRateLimited, time.Minute)), 429, "60"},
		{"A busy 503 carries its wait", judging.RetryAfter(judging.ErrBusy, time.Second), 503, "1"},
		{"Other answers carry none", judging.ErrBadCredentials, http.StatusUnauthorized, ""},
		{"A store that does not answer carries none", judging.ErrUnavailable, http.StatusServiceUnavailable, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := retryAfter(tc.err, tc.status); got != tc.want {
				t.Fatalf("retryAfter(%v, %d) = %q, want %q", tc.err, tc.status, got, tc.want)
			}
		})
	}
}
