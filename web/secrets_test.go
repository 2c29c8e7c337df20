package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// send sends one request with token as bearer (none if "") and key as Idempotency-Key (none
// if ""), and returns the status, the headers and the body.
func (ts *testServer) send(tb testing.TB, method, path, token, key string, body any) (int, http.Header, []byte) {
	tb.Helper()
	var r io.Reader
	var payload []byte
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			tb.Fatal(err)
		}
		payload, r = b, bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, ts.URL+path, r)
	if err != nil {
		tb.Fatal(err)
	}
	if r != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if key != "" {
		req.Header.Set(IdempotencyHeader, key)
	}
	return ts.roundTrip(tb, req, payload)
}

// keysHolding returns the Redis keys whose string value holds secret, as it is or inside the
// body of a recorded response (kept base64-encoded in its JSON).
func (ts *testServer) keysHolding(tb testing.TB, secret string) []string {
	tb.Helper()
	ctx := context.Background()
	var found []string
	iter := ts.rdb.Scan(ctx, 0, "*", 1000).Iterator()
	for iter.Next(ctx) {
		k := iter.Val()
		if typ, err := ts.rdb.Type(ctx, k).Result(); err != nil || typ != "string" {
			continue
		}
		v, err := ts.rdb.Get(ctx, k).Bytes()
		if err != nil {
			continue // expired meanwhile
		}
		var rec recorded
		if bytes.Contains(v, []byte(secret)) || (json.Unmarshal(v, &rec) == nil && bytes.Contains(rec.Body, []byte(secret))) {
			found = append(found, k)
		}
	}
	if err := iter.Err(); err != nil {
		tb.Fatalf("scan: %v", err)
	}
	return found
}

func TestServer_SecretResponses(t *testing.T) {
	ts := newTestServer(t)
	ex := ts.exhibitor(t, "Acme")

	t.Run("the scan finds a recorded response", func(t *testing.T) {
		// Every write idempotent: an ordinary response is kept for replay, so the scan below
		// can find what is kept.
		status, _, body := ts.send(t, "POST", "/api/v1/entries", ex.Token, "k-entry", entryBody(catCyber, "Kept"))
		var e apiEntry
		decodeInto(t, body, &e)
		if status != http.StatusCreated || len(ts.keysHolding(t, e.ID)) == 0 {
			t.Fatalf("POST /entries = %d; the recorded response holding %q was not found in Redis", status, e.ID)
		}
	})

	newJudge := func(t *testing.T) (id, invite string) {
		t.Helper()
		var j struct {
			ID          string `json:"id"`
			InviteToken string `json:"invite_token"`
		}
		decodeInto(t, ts.must(t, http.StatusCreated, "POST", "/api/v1/judges", ts.admin, map[string]any{
			"name": "Judge", "email": "secret" + ts.uniq() + "@awards.test", "categories": []string{catCyber},
		}), &j)
		return j.ID, j.InviteToken
	}

	tests := []struct {
		rule   string
		path   func(t *testing.T) string
		token  string
		body   func(t *testing.T) any
		field  string // the secret in the answer
		status int
		again  int // the status of the same request sent again with the same key
	}{
		{
			rule: "POST /screens (admin) {name} → 201 {id, token}: never stored for a replay; a retry makes another screen",
			path: func(*testing.T) string { return "/api/v1/screens" }, token: ts.admin,
			body:  func(*testing.T) any { return map[string]string{"name": "Hall A"} },
			field: "token", status: http.StatusCreated, again: http.StatusCreated,
		},
		{
			rule: "POST /judges (admin) → 201 {id, invite_token}: never stored; a retry is 409 email_taken (recover with POST /judges/{id}/invite)",
			path: func(*testing.T) string { return "/api/v1/judges" }, token: ts.admin,
			body: func(*testing.T) any {
				return map[string]any{"name": "Judge", "email": "retried" + ts.uniq() + "@awards.test", "categories": []string{catCyber}}
			},
			field: "invite_token", status: http.StatusCreated, again: http.StatusConflict,
		},
		{
			rule: "POST /judges/{id}/invite (admin) → 201 {invite_token}: never stored; a retry issues a fresh invitation",
			path: func(t *testing.T) string {
				id, _ := newJudge(t)
				return "/api/v1/judges/" + id + "/invite"
			},
			token: ts.admin, field: "invite_token", status: http.StatusCreated, again: http.StatusCreated,
		},
		{
			rule: "POST /auth/login → 200 {token}: never stored, even when the caller sends a bearer token and a key",
			path: func(*testing.T) string { return "/api/v1/auth/login" }, token: ex.Token,
			body:  func(*testing.T) any { return map[string]string{"email": ex.Email, "password": password} },
			field: "token", status: http.StatusOK, again: http.StatusOK,
		},
		{
			rule: "POST /auth/invite → 200 {token}: never stored; a retry finds the invitation used (401)",
			path: func(*testing.T) string { return "/api/v1/auth/invite" }, token: ex.Token,
			body: func(t *testing.T) any {
				_, invite := newJudge(t)
				return map[string]string{"invite_token": invite, "password": password}
			},
			field: "token", status: http.StatusOK, again: http.StatusUnauthorized,
		},
	}
	for i, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			path := tt.path(t)
			var body any
			if tt.body != nil {
				body = tt.body(t)
			}
			key := "secret-" + strings.Repeat("k", i+1)
			status, h, out := ts.send(t, "POST", path, tt.token, key, body)
			if status != tt.status {
				t.Fatalf("POST %s = %d %s, want %d", path, status, out, tt.status)
			}
			var m map[string]any
			decodeInto(t, out, &m)
			secret, _ := m[tt.field].(string)
			if secret == "" {
				t.Fatalf("POST %s answered no %s: %s", path, tt.field, out)
			}
			if got := h.Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", got)
			}
			if keys := ts.keysHolding(t, secret); len(keys) > 0 {
				t.Errorf("the %s is kept in Redis under %v", tt.field, keys)
			}
			status, h, out = ts.send(t, "POST", path, tt.token, key, body)
			if status != tt.again || h.Get("Idempotent-Replayed") != "" {
				t.Fatalf("the same request again = %d %s (replayed %q), want %d run again", status, out, h.Get("Idempotent-Replayed"), tt.again)
			}
		})
	}
}

func TestServer_TokenInQuery(t *testing.T) {
	// ?token= is accepted on the live feed only: a websocket upgrade to any other route with
	// ?token= and no header is the public.
	ts := newTestServer(t)
	for _, path := range []string{"/api/v1/results.csv", "/api/v1/judges", "/api/v1/screens"} {
		req, err := http.NewRequest("GET", ts.URL+path+"?token="+ts.admin, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Connection", "Upgrade")
		req.Header.Set("Upgrade", "websocket")
		status, _, out := ts.roundTrip(t, req, nil)
		if status != http.StatusUnauthorized {
			t.Fatalf("GET %s?token=<admin> with upgrade headers = %d %.200s, want 401 (the public)", path, status, out)
		}
	}
}
