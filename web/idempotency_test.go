package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

// post sends a POST with an Idempotency-Key header and returns the status, the body and
// whether the answer was a replay.
func (ts *testServer) postIdem(tb testing.TB, path, token, key string, body any) (int, []byte, bool) {
	tb.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", ts.URL+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	if key != "" {
		req.Header.Set(IdempotencyHeader, key)
	}
	status, h, out := ts.roundTrip(tb, req, b)
	return status, out, h.Get("Idempotent-Replayed") == "true"
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

// failingRemember is the real store whose Remember fails, as when Redis goes away between
// the handler's answer and its recording.
type failingRemember struct{ Idempotency }

func (failingRemember) Remember(context.Context, string, []byte, time.Duration) error {
	return errors.New("remember: connection refused")
}

// idemServer serves handler at POST /t behind the Server's own recovery, authentication and
// idempotency middleware, with idem keeping the responses. Its log is discarded: the panics
// there are the test's doing.
func (ts *testServer) idemServer(tb testing.TB, idem Idempotency, handler gin.HandlerFunc) string {
	tb.Helper()
	s := *ts.srv
	s.idem = idem
	s.log = slog.New(slog.DiscardHandler)
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.Use(s.recovery())
	e.POST("/t", s.auth.Authenticate(), s.idempotent(), handler)
	hs := httptest.NewServer(e)
	tb.Cleanup(hs.Close)
	return hs.URL + "/t"
}

// postKey sends POST url as the admin with an Idempotency-Key and returns the status and
// whether the answer was a replay.
func (ts *testServer) postKey(tb testing.TB, url, key string) (int, bool) {
	tb.Helper()
	status, replayed, _, err := ts.sendKey(url, key)
	if err != nil {
		tb.Fatal(err)
	}
	return status, replayed
}

// sendKey is postKey without a testing.TB, for goroutines, with the body of the answer.
func (ts *testServer) sendKey(url, key string) (status int, replayed bool, body []byte, err error) {
	req, err := http.NewRequest("POST", url, strings.NewReader("{}"))
	if err != nil {
		return 0, false, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+ts.admin)
	req.Header.Set(IdempotencyHeader, key)
	resp, err := ts.client.Do(req)
	if err != nil {
		return 0, false, nil, err
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Idempotent-Replayed") == "true", body, err
}

// idemKey is the Redis key under which the admin's Idempotency-Key key is kept.
func (ts *testServer) idemKey(key string) string {
	h := sha256.Sum256([]byte(key))
	return "awards:idem:" + ts.adminActor.ID + ":" + hex.EncodeToString(h[:])
}

func TestIdempotencyKey_Release(t *testing.T) {
	ts := newTestServer(t)

	t.Run("OK/a handler that panics releases its key", func(t *testing.T) {
		// An idempotency reservation is released if the handler panics: the retry runs.
		var calls atomic.Int64
		url := ts.idemServer(t, ts.srv.idem, func(c *gin.Context) {
			if calls.Add(1) == 1 {
				panic("boom")
			}
			c.JSON(http.StatusCreated, gin.H{"ok": true})
		})
		if s, _ := ts.postKey(t, url, "panic-1"); s != http.StatusInternalServerError {
			t.Fatalf("the panicking request = %d, want 500", s)
		}
		if s, replayed := ts.postKey(t, url, "panic-1"); s != http.StatusCreated || replayed || calls.Load() != 2 {
			t.Fatalf("the retry = %d (replayed %v, %d calls), want 201 from a second run", s, replayed, calls.Load())
		}
		if s, replayed := ts.postKey(t, url, "panic-1"); s != http.StatusCreated || !replayed || calls.Load() != 2 {
			t.Fatalf("a third try = %d (replayed %v, %d calls), want the second run's 201 replayed", s, replayed, calls.Load())
		}
	})

	t.Run("OK/a 5xx answer is forgotten", func(t *testing.T) {
		// A response of 5xx is not kept: the reservation is released and a retry with the
		// same key runs the request again; what that run answers is kept.
		for _, failed := range []int{http.StatusInternalServerError, http.StatusServiceUnavailable} {
			key := fmt.Sprintf("5xx-%d", failed)
			var calls atomic.Int64
			url := ts.idemServer(t, ts.srv.idem, func(c *gin.Context) {
				if calls.Add(1) == 1 {
					c.AbortWithStatusJSON(failed, errorBody{errorDetail{"unavailable", "The store does not answer."}})
					return
				}
				c.JSON(http.StatusCreated, gin.H{"ok": true})
			})
			if s, _ := ts.postKey(t, url, key); s != failed {
				t.Fatalf("the first request = %d, want %d", s, failed)
			}
			if n, err := ts.rdb.Exists(context.Background(), ts.idemKey(key)).Result(); err != nil || n != 0 {
				t.Fatalf("after a %d the key is still held (%d, %v)", failed, n, err)
			}
			if s, replayed := ts.postKey(t, url, key); s != http.StatusCreated || replayed || calls.Load() != 2 {
				t.Fatalf("the retry after a %d = %d (replayed %v, %d calls), want 201 from a second run", failed, s, replayed, calls.Load())
			}
			if s, replayed := ts.postKey(t, url, key); s != http.StatusCreated || !replayed || calls.Load() != 2 {
				t.Fatalf("a third try = %d (replayed %v, %d calls), want the second run's 201 replayed", s, replayed, calls.Load())
			}
		}
	})

	t.Run("ErrConflict/the same key while its first request runs", func(t *testing.T) {
		// A request whose Idempotency-Key belongs to a request still running → 409
		// request_in_progress, without running; once the first ends, its answer is replayed.
		started, unblock := make(chan struct{}), make(chan struct{})
		var calls atomic.Int64
		url := ts.idemServer(t, ts.srv.idem, func(c *gin.Context) {
			if calls.Add(1) == 1 {
				close(started)
				<-unblock
			}
			c.JSON(http.StatusCreated, gin.H{"ok": true})
		})
		release := sync.OnceFunc(func() { close(unblock) })
		t.Cleanup(release) // before the server's Close, which waits for the blocked request

		first := make(chan error, 1)
		go func() {
			s, _, body, err := ts.sendKey(url, "running-1")
			if err == nil && s != http.StatusCreated {
				err = fmt.Errorf("the first request = %d %s, want 201", s, body)
			}
			first <- err
		}()
		select {
		case <-started:
		case err := <-first:
			t.Fatalf("the first request ended before its handler blocked: %v", err)
		case <-time.After(30 * time.Second):
			t.Fatal("the first request's handler did not start within 30 s")
		}

		s, replayed, body, err := ts.sendKey(url, "running-1")
		if err != nil {
			t.Fatal(err)
		}
		if s != http.StatusConflict || replayed {
			t.Fatalf("the same key while the first runs = %d %s (replayed %v), want 409 request_in_progress", s, body, replayed)
		}
		if code, _ := errorOf(t, body); code != "request_in_progress" {
			t.Fatalf("the same key while the first runs = 409 %s, want the code request_in_progress", body)
		}
		if got := calls.Load(); got != 1 {
			t.Fatalf("the handler ran %d times, want once", got)
		}

		release()
		if err := <-first; err != nil {
			t.Fatal(err)
		}
		if s, replayed := ts.postKey(t, url, "running-1"); s != http.StatusCreated || !replayed || calls.Load() != 1 {
			t.Fatalf("the same key after the first ended = %d (replayed %v, %d calls), want its 201 replayed", s, replayed, calls.Load())
		}
	})

	t.Run("OK/a failed recording releases its key", func(t *testing.T) {
		// An idempotency reservation is released if the response cannot be recorded.
		var calls atomic.Int64
		url := ts.idemServer(t, failingRemember{ts.srv.idem}, func(c *gin.Context) {
			calls.Add(1)
			c.JSON(http.StatusCreated, gin.H{"ok": true})
		})
		ts.postKey(t, url, "remember-1")
		if s, replayed := ts.postKey(t, url, "remember-1"); s != http.StatusCreated || replayed || calls.Load() != 2 {
			t.Fatalf("the retry = %d (replayed %v, %d calls), want 201 from a second run", s, replayed, calls.Load())
		}
		if n, err := ts.rdb.Exists(context.Background(), ts.idemKey("remember-1")).Result(); err != nil || n != 0 {
			t.Fatalf("the key is still reserved (%d, %v)", n, err)
		}
	})

	t.Run("OK/a reservation lasts a minute, a recorded answer a day", func(t *testing.T) {
		// A reservation whose recording never comes is not stuck for 24 h: "pending" gets a
		// short TTL, longer than any handler; only a recorded response is kept 24 h.
		var pending time.Duration
		url := ts.idemServer(t, ts.srv.idem, func(c *gin.Context) {
			pending = ts.rdb.PTTL(c.Request.Context(), ts.idemKey("ttl-1")).Val()
			c.JSON(http.StatusCreated, gin.H{"ok": true})
		})
		ts.postKey(t, url, "ttl-1")
		if pending <= 0 || pending > idempotencyPending {
			t.Fatalf("a running request's reservation has TTL %v, want at most %v", pending, idempotencyPending)
		}
		if kept := ts.rdb.PTTL(context.Background(), ts.idemKey("ttl-1")).Val(); kept <= idempotencyPending || kept > idempotencyTTL {
			t.Fatalf("the recorded answer has TTL %v, want more than %v, at most %v", kept, idempotencyPending, idempotencyTTL)
		}
	})
}
