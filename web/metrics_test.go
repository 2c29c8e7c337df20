package web

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestServer_MetricsToken(t *testing.T) {
	ts := newTestServer(t)
	const token = "scrape-0123456789"
	srv, err := New(Deps{Service: ts.svc, Tokens: ts.tokens, Logger: slog.New(slog.DiscardHandler), MetricsToken: token})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	get := func(t *testing.T, base, auth string) (int, http.Header, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", base+"/metrics", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		status, h, b := ts.roundTrip(t, req, nil)
		return status, h, string(b)
	}

	t.Run("OK/the token opens it", func(t *testing.T) {
		// AWARDS_METRICS_TOKEN: when set, /metrics needs Authorization: Bearer <this>.
		status, _, body := get(t, hs.URL, "Bearer "+token)
		if status != http.StatusOK || !strings.Contains(body, "go_goroutines") {
			t.Fatalf("GET /metrics with the token = %d %.200s, want 200 and the metrics", status, body)
		}
	})

	t.Run("ErrUnauthorized", func(t *testing.T) {
		// AWARDS_METRICS_TOKEN: … (else 401), with the error shape.
		for name, auth := range map[string]string{
			"none": "", "wrong": "Bearer wrong-token", "a prefix": "Bearer " + token[:5], "longer": "Bearer " + token + "x",
			"another scheme": "Basic " + token, "a user's JWT": "Bearer " + ts.admin,
		} {
			status, h, body := get(t, hs.URL, auth)
			if status != http.StatusUnauthorized {
				t.Fatalf("%s: GET /metrics = %d, want 401", name, status)
			}
			if code, _ := errorOf(t, []byte(body)); code != "unauthorized" || h.Get("WWW-Authenticate") == "" {
				t.Fatalf("%s: code %q, WWW-Authenticate %q; want unauthorized and a challenge", name, code, h.Get("WWW-Authenticate"))
			}
		}
	})

	t.Run("OK/unset is open", func(t *testing.T) {
		// AWARDS_METRICS_TOKEN default: empty: open.
		if status, _, body := get(t, ts.URL, ""); status != http.StatusOK || !strings.Contains(body, "go_goroutines") {
			t.Fatalf("GET /metrics without a token set = %d, want 200", status)
		}
	})
}
