package web

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
)

// post sends a POST with an Idempotency-Key header and returns the status, the body and
// whether the answer was a replay.
func (ts *testServer) postIdem(tb testing.TB, path, token, key string, body any) (int, []byte, bool) {
	tb.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", ts.URL+path, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+token)
	if key != "" {
		req.Header.Set(IdempotencyHeader, key)
	}
	resp, err := ts.client.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out, resp.Header.Get("Idempotent-Replayed") == "true"
}

func TestIdempotencyKey(t *testing.T) {
	ts := newTestServer(t)
	ex := ts.exhibitor(t, "Acme")
	count := func() int {
		var es []apiEntry
		decodeInto(t, ts.must(t, http.StatusOK, "GET", "/api/v1/entries", ex.Token, nil), &es)
		return len(es)
	}

	t.Run("OK/a retried create answers the first entry again", func(t *testing.T) {
		// Every write idempotent: the same POST with the same Idempotency-Key creates one entry.
		before := count()
		body := entryBody(catCyber, "Retried")
		s1, b1, replay1 := ts.postIdem(t, "/api/v1/entries", ex.Token, "k-1", body)
		s2, b2, replay2 := ts.postIdem(t, "/api/v1/entries", ex.Token, "k-1", body)
		if s1 != http.StatusCreated || s2 != http.StatusCreated || replay1 || !replay2 {
			t.Fatalf("statuses %d, %d (replayed %v, %v); want 201 twice, the second replayed", s1, s2, replay1, replay2)
		}
		if !bytes.Equal(b1, b2) {
			t.Fatalf("the retry answered %s, want the first answer %s", b2, b1)
		}
		if got, want := count(), before+1; got != want {
			t.Fatalf("%d entries, want %d", got, want)
		}
	})

	t.Run("OK/without the header every POST runs", func(t *testing.T) {
		before := count()
		ts.postIdem(t, "/api/v1/entries", ex.Token, "", entryBody(catCyber, "Twice"))
		ts.postIdem(t, "/api/v1/entries", ex.Token, "", entryBody(catCyber, "Twice"))
		if got, want := count(), before+2; got != want {
			t.Fatalf("%d entries, want %d", got, want)
		}
	})

	t.Run("OK/keys are per caller", func(t *testing.T) {
		other := ts.exhibitor(t, "Other")
		s, _, replayed := ts.postIdem(t, "/api/v1/entries", other.Token, "k-1", entryBody(catCyber, "Retried"))
		if s != http.StatusCreated || replayed {
			t.Fatalf("another exhibitor's request with the same key: %d replayed %v; want a fresh 201", s, replayed)
		}
	})

	t.Run("ErrConflict/the same key with another body", func(t *testing.T) {
		ts.postIdem(t, "/api/v1/entries", ex.Token, "k-2", entryBody(catCyber, "First"))
		s, b, _ := ts.postIdem(t, "/api/v1/entries", ex.Token, "k-2", entryBody(catCyber, "Second"))
		if code, _ := errorOf(t, b); s != http.StatusConflict || code != "idempotency_key_reused" {
			t.Fatalf("%d %s, want 409 idempotency_key_reused", s, b)
		}
	})

	t.Run("OK/a refused request is replayed as refused", func(t *testing.T) {
		before := count()
		bad := entryBody("no-such-category", "Bad")
		s1, _, _ := ts.postIdem(t, "/api/v1/entries", ex.Token, "k-3", bad)
		s2, _, replayed := ts.postIdem(t, "/api/v1/entries", ex.Token, "k-3", bad)
		if s1 != http.StatusUnprocessableEntity || s2 != s1 || !replayed || count() != before {
			t.Fatalf("statuses %d, %d replayed %v; want 422 twice, nothing written", s1, s2, replayed)
		}
	})
}
