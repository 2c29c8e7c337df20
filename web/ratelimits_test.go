package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/awards-dev/awards/judging"
	"github.com/awards-dev/awards/judging/judgingtest"
)

// withProbe wraps the service's Hasher in p.
func withProbe(p *judgingtest.ProbeHasher) serverOption {
	return withService(func(d *judging.Deps) { p.Hasher = d.Hasher; d.Hasher = p })
}

// answer is what a test looks at in a response.
type answer struct {
	status     int
	retryAfter string
	body       []byte
}

// postFrom sends a JSON POST as the client at ip: X-Forwarded-For, believed when the server
// trusts 127.0.0.1 as its proxy ("" sends no header).
func (ts *testServer) postFrom(tb testing.TB, ip, path string, body any) answer {
	tb.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		tb.Fatalf("marshal: %v", err)
	}
	req, err := http.NewRequest("POST", ts.URL+path, bytes.NewReader(b))
	if err != nil {
		tb.Fatalf("POST %s: %v", path, err)
	}
	req.Header.Set("Content-Type", "application/json")
	if ip != "" {
		req.Header.Set("X-Forwarded-For", ip)
	}
	status, h, out := ts.roundTrip(tb, req, b)
	return answer{status, h.Get("Retry-After"), out}
}

// loginFrom tries a login as the client at ip.
func (ts *testServer) loginFrom(tb testing.TB, ip, email, pw string) answer {
	tb.Helper()
	return ts.postFrom(tb, ip, "/api/v1/auth/login", map[string]string{"email": email, "password": pw})
}

// wantStatus fails tb unless a has status want.
func wantStatus(tb testing.TB, a answer, want int, what string) {
	tb.Helper()
	if a.status != want {
		tb.Fatalf("%s = %d %.300s, want %d", what, a.status, a.body, want)
	}
}

// wantRefused checks a is status with code and a Retry-After of whole seconds in (0, most].
func wantRefused(tb testing.TB, a answer, status int, code string, most time.Duration) {
	tb.Helper()
	if a.status != status {
		tb.Fatalf("status = %d %.300s, want %d", a.status, a.body, status)
	}
	if got, _ := errorOf(tb, a.body); got != code {
		tb.Fatalf("code = %q, want %q", got, code)
	}
	secs, err := strconv.Atoi(a.retryAfter)
	if err != nil || secs <= 0 || time.Duration(secs)*time.Second > most {
		tb.Fatalf("Retry-After = %q, want whole seconds in (0, %v]", a.retryAfter, most)
	}
}

// keys lists every key in the store's Redis.
func (ts *testServer) keys(tb testing.TB) []string {
	tb.Helper()
	var out []string
	iter := ts.rdb.Scan(tb.Context(), 0, "*", 100).Iterator()
	for iter.Next(tb.Context()) {
		out = append(out, iter.Val())
	}
	if err := iter.Err(); err != nil {
		tb.Fatalf("scan: %v", err)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func TestServer_Login_limits(t *testing.T) {
	t.Run("ErrRateLimited/parallel guesses check at most the limit", func(t *testing.T) {
		// An attempt is counted before its password is checked, so parallel guesses cannot
		// pass the limit, and a right password is refused while limited.
		probe := &judgingtest.ProbeHasher{}
		ts := newTestServer(t, withProbe(probe))
		victim := ts.exhibitor(t, "Victim Co")
		before := probe.Checks.Load()
		const guesses = 100
		var wg sync.WaitGroup
		statuses := make([]int, guesses)
		for i := range guesses {
			wg.Go(func() { statuses[i] = ts.loginFrom(t, "", victim.Email, fmt.Sprintf("guess number %d", i)).status })
		}
		wg.Wait()
		if got, most := probe.Checks.Load()-before, int64(judging.LoginPairLimit); got > most {
			t.Fatalf("%d parallel guesses had %d passwords checked, want at most %d", guesses, got, most)
		}
		for i, s := range statuses {
			if s != http.StatusUnauthorized && s != http.StatusTooManyRequests {
				t.Fatalf("guess %d = %d, want 401 or 429", i, s)
			}
		}
		wantRefused(t, ts.loginFrom(t, "", victim.Email, password), http.StatusTooManyRequests, "rate_limited", judging.LoginWindow)
	})

	t.Run("ErrRateLimited/one email from one IP does not lock out other IPs", func(t *testing.T) {
		// 10 failed logins for one email from one client IP in 15 min → 429 for that pair;
		// the right password from another IP still logs in.
		ts := newTestServer(t, withTrustedProxies("127.0.0.1"))
		const attacker, admin = "203.0.113.7", "198.51.100.20"
		for i := range judging.LoginPairLimit {
			wantStatus(t, ts.loginFrom(t, attacker, adminEmail, fmt.Sprintf("guess number %d", i)), http.StatusUnauthorized, "a wrong password")
		}
		wantRefused(t, ts.loginFrom(t, attacker, adminEmail, password), http.StatusTooManyRequests, "rate_limited", judging.LoginWindow)
		wantStatus(t, ts.loginFrom(t, admin, adminEmail, password), http.StatusOK, "the admin's login from another IP")
		// The same address written otherwise (IPv4 mapped into IPv6) is the same client.
		wantStatus(t, ts.loginFrom(t, "::ffff:"+attacker, adminEmail, password), http.StatusTooManyRequests, "the attacker as ::ffff:")
	})

	t.Run("ErrRateLimited/one email over all IPs", func(t *testing.T) {
		// 100 failed logins for one email from all IPs in 15 min → 429 for that email.
		ts := newTestServer(t, withTrustedProxies("127.0.0.1"))
		victim := ts.exhibitor(t, "Victim Co")
		for i := range judging.LoginEmailLimit {
			ip := fmt.Sprintf("10.0.%d.%d", i/5, i%5+1) // 5 per IP: under the pair limit
			wantStatus(t, ts.loginFrom(t, ip, victim.Email, fmt.Sprintf("guess number %d", i)), http.StatusUnauthorized, "failure "+strconv.Itoa(i+1))
		}
		wantRefused(t, ts.loginFrom(t, "192.0.2.99", victim.Email, password), http.StatusTooManyRequests, "rate_limited", judging.LoginWindow)
		// Only that email: another account logs in from the same fresh IP.
		other := ts.exhibitor(t, "Other Co")
		wantStatus(t, ts.loginFrom(t, "192.0.2.99", other.Email, password), http.StatusOK, "another email")
	})

	t.Run("ErrRateLimited/one IP over all emails", func(t *testing.T) {
		// 100 failed logins from one IP over all emails (unknown ones too) in 15 min → 429 for
		// that IP; other IPs are not affected.
		ts := newTestServer(t, withTrustedProxies("127.0.0.1"))
		u := ts.exhibitor(t, "Real Co")
		const prober = "203.0.113.50"
		for i := range judging.LoginIPLimit {
			wantStatus(t, ts.loginFrom(t, prober, fmt.Sprintf("nobody%d@awards.test", i), password), http.StatusUnauthorized, "failure "+strconv.Itoa(i+1))
		}
		wantRefused(t, ts.loginFrom(t, prober, "nobody-else@awards.test", password), http.StatusTooManyRequests, "rate_limited", judging.LoginWindow)
		wantRefused(t, ts.loginFrom(t, prober, u.Email, password), http.StatusTooManyRequests, "rate_limited", judging.LoginWindow)
		wantStatus(t, ts.loginFrom(t, "203.0.113.51", u.Email, password), http.StatusOK, "another IP")
		wantStatus(t, ts.loginFrom(t, "203.0.113.51", "nobody-else@awards.test", password), http.StatusUnauthorized, "another IP, unknown email")
	})

	t.Run("OK successes are never limited per IP", func(t *testing.T) {
		// Successful requests are never limited per IP: a venue puts its visitors behind one IP.
		ts := newTestServer(t)
		users := []testUser{ts.exhibitor(t, "A Co"), ts.exhibitor(t, "B Co"), ts.exhibitor(t, "C Co")}
		for i := range 150 {
			u := users[i%len(users)]
			wantStatus(t, ts.loginFrom(t, "", u.Email, password), http.StatusOK, "successful login "+strconv.Itoa(i+1))
		}
	})

	t.Run("ErrRateLimited/X-Forwarded-For is ignored without a trusted proxy", func(t *testing.T) {
		// The client IP is the peer address, or X-Forwarded-For only from a trusted proxy.
		ts := newTestServer(t) // no trusted proxy
		for i := range judging.LoginPairLimit {
			ip := fmt.Sprintf("198.51.100.%d", i+1)
			wantStatus(t, ts.loginFrom(t, ip, adminEmail, fmt.Sprintf("guess number %d", i)), http.StatusUnauthorized, "a wrong password")
		}
		wantRefused(t, ts.loginFrom(t, "198.51.100.200", adminEmail, password), http.StatusTooManyRequests, "rate_limited", judging.LoginWindow)
	})

	t.Run("ErrInvalid/oversized fields never reach the store", func(t *testing.T) {
		// email ≤ 254 characters, password ≤ 1,024 bytes; longer → 422, and no counter is kept.
		ts := newTestServer(t)
		before := ts.keys(t)
		for name, body := range map[string]map[string]string{
			"1 MB email":          {"email": strings.Repeat("a", 1_000_000) + "@awards.test", "password": password},
			"255-character email": {"email": strings.Repeat("é", 243) + "@awards.test", "password": password},
			"2,000-byte password": {"email": adminEmail, "password": strings.Repeat("p", 2000)},
			"1,025-byte password": {"email": "nobody@awards.test", "password": strings.Repeat("p", 1025)},
		} {
			a := ts.postFrom(t, "", "/api/v1/auth/login", body)
			wantStatus(t, a, http.StatusUnprocessableEntity, name)
			errorOf(t, a.body)
		}
		if diff := slices.Compare(before, ts.keys(t)); diff != 0 {
			t.Fatalf("oversized logins changed the keys from %q to %q", before, ts.keys(t))
		}
		// The limits themselves are accepted: 254 characters and 1,024 bytes get the usual 401.
		a := ts.loginFrom(t, "", strings.Repeat("é", 242)+"@awards.test", strings.Repeat("p", 1024))
		wantStatus(t, a, http.StatusUnauthorized, "email of 254 characters, password of 1,024 bytes")
	})
}

func TestServer_Register_limits(t *testing.T) {
	register := func(ts *testServer, tb testing.TB, ip, email string) answer {
		tb.Helper()
		return ts.postFrom(tb, ip, "/api/v1/auth/register", map[string]any{
			"email": email, "password": password, "company": "Co " + email, "country": "FR",
		})
	}

	t.Run("ErrRateLimited/the 21st registration from one IP in an hour", func(t *testing.T) {
		// At most 20 registrations per IP per hour; the 21st → 429 with Retry-After.
		ts := newTestServer(t, withTrustedProxies("127.0.0.1"))
		for i := range judging.RegisterIPLimit {
			wantStatus(t, register(ts, t, "203.0.113.9", fmt.Sprintf("ex%d@awards.test", i)), http.StatusCreated, "registration "+strconv.Itoa(i+1))
		}
		wantRefused(t, register(ts, t, "203.0.113.9", "one-more@awards.test"), http.StatusTooManyRequests, "rate_limited", judging.RegisterWindow)
		wantStatus(t, register(ts, t, "203.0.113.10", "one-more@awards.test"), http.StatusCreated, "a registration from another IP")
	})

	t.Run("ErrEmailTaken/duplicates are not registrations", func(t *testing.T) {
		// A registration is an account created: duplicates get 409 (found before any password
		// hashing) and leave the IP its 20 registrations.
		ts := newTestServer(t, withTrustedProxies("127.0.0.1"))
		wantStatus(t, register(ts, t, "203.0.113.11", "taken@awards.test"), http.StatusCreated, "the first registration")
		for i := range judging.RegisterIPLimit + 5 {
			wantStatus(t, register(ts, t, "203.0.113.11", "taken@awards.test"), http.StatusConflict, "duplicate "+strconv.Itoa(i+1))
		}
		for i := range judging.RegisterIPLimit - 1 {
			wantStatus(t, register(ts, t, "203.0.113.11", fmt.Sprintf("more%d@awards.test", i)), http.StatusCreated, "registration "+strconv.Itoa(i+2))
		}
		wantRefused(t, register(ts, t, "203.0.113.11", "fresh@awards.test"), http.StatusTooManyRequests, "rate_limited", judging.RegisterWindow)
	})
}

func TestServer_hashing(t *testing.T) {
	t.Run("ErrBusy/hashing never runs past its bound", func(t *testing.T) {
		// Password hashing is bounded: past a short wait a request gets 503 busy with Retry-After.
		const bound, logins = 2, 12
		probe := &judgingtest.ProbeHasher{}
		ts := newBareServer(t, withProbe(probe), withService(func(d *judging.Deps) {
			d.HashConcurrency, d.HashWait = bound, 50*time.Millisecond
		}))
		release := probe.HoldAll()
		defer release()
		var (
			wg      sync.WaitGroup
			done    atomic.Int64
			answers = make([]answer, logins)
		)
		for i := range logins {
			wg.Go(func() {
				answers[i] = ts.loginFrom(t, "", fmt.Sprintf("nobody%d@awards.test", i), password)
				done.Add(1)
			})
		}
		// Hold every check until each login is either being checked or answered.
		deadline := time.Now().Add(30 * time.Second)
		for {
			n := int64(probe.InFlight())
			if n+done.Load() == logins {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("after 30 s: %d checks running, %d answered, of %d logins", n, done.Load(), logins)
			}
			time.Sleep(time.Millisecond) // polling, with a deadline
		}
		release()
		wg.Wait()
		if got := probe.MaxInFlight(); got > bound {
			t.Fatalf("%d password hashes ran at once, want at most %d", got, bound)
		}
		var busy int
		for i, a := range answers {
			switch a.status {
			case http.StatusUnauthorized:
			case http.StatusServiceUnavailable:
				wantRefused(t, a, http.StatusServiceUnavailable, "busy", 10*time.Second)
				busy++
			default:
				t.Fatalf("login %d = %d %.300s, want 401 or 503", i, a.status, a.body)
			}
		}
		if got, want := busy, logins-bound; got != want {
			t.Fatalf("%d logins answered busy, want %d", got, want)
		}
	})
}
