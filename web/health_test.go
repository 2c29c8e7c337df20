package web

import (
	"net/http"
	"strings"
	"testing"
)

func TestHealth_HTTP(t *testing.T) {
	ts := newTestServer(t)
	x := ts.exhibitor(t, "Acme Secure")
	e := ts.createEntry(t, x, catCyber, "Aegis")

	t.Run("OK healthz", func(t *testing.T) {
		// GET /healthz → 200 {"status":"ok"} when the process is up.
		if got, want := string(ts.must(t, http.StatusOK, "GET", "/healthz", "", nil)), `{"status":"ok"}`; got != want {
			t.Fatalf("GET /healthz = %s, want %s", got, want)
		}
	})

	t.Run("OK readyz", func(t *testing.T) {
		// GET /readyz → 200 when the store answers.
		ts.must(t, http.StatusOK, "GET", "/readyz", "", nil)
	})

	t.Run("OK metrics by route pattern", func(t *testing.T) {
		// GET /metrics → Prometheus text format; requests are counted by route pattern, so ids
		// never become series.
		ts.must(t, http.StatusOK, "GET", "/api/v1/entries/"+e, x.Token, nil)
		ts.do(t, "GET", "/api/v1/no/such/route", "", nil)
		req, _ := http.NewRequest("GET", ts.URL+"/metrics", nil)
		_, h, out := ts.roundTrip(t, req, nil)
		if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
			t.Errorf("Content-Type = %q, want text/plain (Prometheus text format)", ct)
		}
		body := string(out)
		for _, want := range []string{
			`awards_http_requests_total{method="GET",route="/api/v1/entries/:id",status="200"} 1`,
			`route="unmatched"`,
			"awards_http_request_duration_seconds_bucket",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("metrics lack %s", want)
			}
		}
		if strings.Contains(body, e) {
			t.Errorf("metrics name the entry id %s", e)
		}
	})

	t.Run("ErrUnavailable the store is down", func(t *testing.T) {
		// GET /readyz → 503 otherwise; the process is still up (healthz 200), and a call that
		// needs the store says so with the error shape, never a 500 or a 401.
		ts.killStore()
		ts.must(t, http.StatusOK, "GET", "/healthz", "", nil)
		ts.must(t, http.StatusServiceUnavailable, "GET", "/readyz", "", nil)
		for _, c := range []struct{ method, path, token string }{
			{"GET", "/api/v1/programme", ""},
			{"GET", "/api/v1/entries", x.Token},
			{"POST", "/api/v1/auth/login", ""},
		} {
			var body any
			if c.method == "POST" {
				body = map[string]string{"email": x.Email, "password": password}
			}
			status, out := ts.do(t, c.method, c.path, c.token, body)
			if got, want := status, http.StatusServiceUnavailable; got != want {
				t.Errorf("%s %s with the store down = %d %s, want %d", c.method, c.path, got, out, want)
				continue
			}
			if code, _ := errorOf(t, out); code != "unavailable" {
				t.Errorf("%s %s: code %q, want unavailable", c.method, c.path, code)
			}
		}
	})
}
