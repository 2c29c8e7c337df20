package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/awards-dev/awards/config"
	"github.com/awards-dev/awards/judging/judgingtest"
	"github.com/awards-dev/awards/judging/redisstore/redistest"
)

func TestBuild_MetricsToken(t *testing.T) {
	// AWARDS_METRICS_TOKEN: when set, /metrics needs Authorization: Bearer <this> (else 401);
	// empty: open.
	status := func(t *testing.T, getenv map[string]string, auth string) int {
		t.Helper()
		cfg, err := config.Load(nil, env(getenv))
		if err != nil {
			t.Fatal(err)
		}
		h, err := build(context.Background(), cfg, redistest.New(t), judgingtest.CheapHasher, slog.New(slog.DiscardHandler), io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(h)
		t.Cleanup(ts.Close)
		req, _ := http.NewRequest("GET", ts.URL+"/metrics", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	set := map[string]string{"AWARDS_METRICS_TOKEN": "scrape-me-0123"}
	for _, tc := range []struct {
		name   string
		env    map[string]string
		auth   string
		status int
	}{
		{"set, no token", set, "", http.StatusUnauthorized},
		{"set, a wrong token", set, "Bearer scrape-me", http.StatusUnauthorized},
		{"set, the token", set, "Bearer scrape-me-0123", http.StatusOK},
		{"unset", nil, "", http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := status(t, tc.env, tc.auth); got != tc.status {
				t.Fatalf("GET /metrics = %d, want %d", got, tc.status)
			}
		})
	}
}
