package web

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
)

// wantSecurityHeaders checks the headers every response carries, with frame as X-Frame-Options.
func wantSecurityHeaders(tb testing.TB, what string, h http.Header, frame string) {
	tb.Helper()
	for k, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        frame,
		"Referrer-Policy":        "no-referrer",
	} {
		if got := h.Get(k); got != want {
			tb.Errorf("%s: %s = %q, want %q", what, k, got, want)
		}
	}
}

func TestServer_SecurityHeaders(t *testing.T) {
	ts := newTestServer(t)
	ex := ts.exhibitor(t, "Acme")

	t.Run("OK/every route and status", func(t *testing.T) {
		// Responses carry X-Content-Type-Options: nosniff, X-Frame-Options: DENY and
		// Referrer-Policy: no-referrer: successes, errors, unknown routes and methods alike.
		for _, tc := range []struct {
			method, path, token string
			body                any
			status              int
		}{
			{"GET", "/healthz", "", nil, http.StatusOK},
			{"GET", "/readyz", "", nil, http.StatusOK},
			{"GET", "/metrics", "", nil, http.StatusOK},
			{"GET", "/api/v1/programme", "", nil, http.StatusOK},
			{"GET", "/api/v1/results.csv", ts.admin, nil, http.StatusOK},
			{"POST", "/api/v1/auth/login", "", map[string]string{"email": ex.Email, "password": password}, http.StatusOK},
			{"POST", "/api/v1/auth/login", "", map[string]string{"email": ex.Email, "password": "wrong password"}, http.StatusUnauthorized},
			{"POST", "/api/v1/entries", ex.Token, "{", http.StatusBadRequest},
			{"POST", "/api/v1/entries", ex.Token, map[string]any{"category_id": catCyber}, http.StatusUnprocessableEntity},
			{"GET", "/api/v1/results.csv", "", nil, http.StatusUnauthorized},
			{"GET", "/api/v1/results.csv", ex.Token, nil, http.StatusForbidden},
			{"GET", "/api/v1/entries/e_nobody", ts.admin, nil, http.StatusNotFound},
			{"GET", "/api/v1/nowhere", "", nil, http.StatusNotFound},
			{"DELETE", "/api/v1/programme", ts.admin, nil, http.StatusMethodNotAllowed},
		} {
			status, h, out := ts.send(t, tc.method, tc.path, tc.token, "", tc.body)
			what := tc.method + " " + tc.path
			if status != tc.status {
				t.Errorf("%s = %d %.200s, want %d", what, status, out, tc.status)
			}
			wantSecurityHeaders(t, what, h, "DENY")
		}
	})

	t.Run("OK/a route may allow framing and a panic still carries them", func(t *testing.T) {
		// The ceremony screen page may allow its own origin to frame it: a per-route
		// override of X-Frame-Options; a 500 from a panic carries the headers too.
		s := *ts.srv
		s.log = slog.New(slog.DiscardHandler)
		gin.SetMode(gin.ReleaseMode)
		e := gin.New()
		e.Use(securityHeaders(), s.recovery())
		e.GET("/framed", frameOptions("SAMEORIGIN"), func(c *gin.Context) { c.String(http.StatusOK, "page") })
		e.GET("/plain", func(c *gin.Context) { c.String(http.StatusOK, "page") })
		e.GET("/boom", func(*gin.Context) { panic("boom") })
		hs := httptest.NewServer(e)
		t.Cleanup(hs.Close)
		for path, want := range map[string]struct {
			status int
			frame  string
		}{
			"/framed": {http.StatusOK, "SAMEORIGIN"},
			"/plain":  {http.StatusOK, "DENY"},
			"/boom":   {http.StatusInternalServerError, "DENY"},
		} {
			resp, err := hs.Client().Get(hs.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != want.status {
				t.Errorf("GET %s = %d, want %d", path, resp.StatusCode, want.status)
			}
			wantSecurityHeaders(t, "GET "+path, resp.Header, want.frame)
		}
	})
}
