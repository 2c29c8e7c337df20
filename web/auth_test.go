package web

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/awards-dev/awards/auth"
	"github.com/awards-dev/awards/judging"
)

// forge signs claims with method and key, as an attacker (or a careless peer) would.
func forge(tb testing.TB, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	tb.Helper()
	s, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		tb.Fatalf("sign: %v", err)
	}
	return s
}

func TestAuth_HTTP(t *testing.T) {
	ts := newTestServer(t)
	x := ts.exhibitor(t, "Acme Secure")

	// claims are good claims for the admin; each probe spoils one thing.
	claims := func(change func(jwt.MapClaims)) jwt.MapClaims {
		now := ts.clock.T
		c := jwt.MapClaims{
			"sub": ts.adminActor.ID, "role": "admin", "iss": "awards", "aud": "awards",
			"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
		}
		if change != nil {
			change(c)
		}
		return c
	}
	hs256 := func(c jwt.MapClaims) string { return forge(t, jwt.SigningMethodHS256, testSecret, c) }

	t.Run("OK the forged control token passes", func(t *testing.T) {
		// JWT claims: sub, role, iss = awards, aud = awards, iat, exp — all good → 200, so
		// that each probe below fails for its one spoilt claim.
		ts.must(t, http.StatusOK, "GET", "/api/v1/judges", hs256(claims(nil)), nil)
	})

	probes := []struct {
		name  string
		token string
	}{
		// Tokens with another algorithm than the server's → 401.
		{"ErrAlgNone", forge(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, claims(nil))},
		// Tokens with another algorithm than the server's → 401 (HS384 under the same key).
		{"ErrHS384SameKey", forge(t, jwt.SigningMethodHS384, testSecret, claims(nil))},
		// Tokens with a bad signature → 401.
		{"ErrWrongKey", forge(t, jwt.SigningMethodHS256, []byte("another secret, also 32 bytes long!"), claims(nil))},
		// Tokens with a bad signature → 401 (a good token with its payload swapped).
		{"ErrSwappedPayload", func() string {
			good := strings.Split(hs256(claims(func(c jwt.MapClaims) { c["sub"] = x.ID; c["role"] = "exhibitor" })), ".")
			admin := strings.Split(hs256(claims(nil)), ".")
			return good[0] + "." + admin[1] + "." + good[2]
		}()},
		// 401 no/invalid/expired token.
		{"ErrExpired", hs256(claims(func(c jwt.MapClaims) { c["exp"] = ts.clock.T.Add(-time.Second).Unix() }))},
		// Tokens with … no exp → 401.
		{"ErrNoExp", hs256(claims(func(c jwt.MapClaims) { delete(c, "exp") }))},
		// Tokens with … a wrong aud → 401.
		{"ErrWrongAud", hs256(claims(func(c jwt.MapClaims) { c["aud"] = "other" }))},
		// Tokens with … a wrong aud → 401 (none at all).
		{"ErrNoAud", hs256(claims(func(c jwt.MapClaims) { delete(c, "aud") }))},
		// Tokens with … a wrong iss → 401.
		{"ErrWrongIss", hs256(claims(func(c jwt.MapClaims) { c["iss"] = "awards-evil" }))},
		// Tokens with … a sub that is not a user → 401.
		{"ErrUnknownSub", hs256(claims(func(c jwt.MapClaims) { c["sub"] = "u_nobody" }))},
		// Tokens with … a role that is not that user's → 401 (an exhibitor claiming admin).
		{"ErrRoleNotTheUsers", hs256(claims(func(c jwt.MapClaims) { c["sub"] = x.ID }))},
		// Tokens with … a role that is not that user's → 401 (a role the API does not know).
		{"ErrUnknownRole", hs256(claims(func(c jwt.MapClaims) { c["role"] = "root" }))},
		// 401 no/invalid/expired token: not a JWT at all.
		{"ErrGarbage", "not.a.jwt"},
	}
	for _, p := range probes {
		t.Run(p.name, func(t *testing.T) {
			for _, path := range []string{"/api/v1/judges", "/api/v1/programme"} {
				// A bad token is refused even on a public route: it is not the public.
				status, body := ts.do(t, "GET", path, p.token, nil)
				if got, want := status, http.StatusUnauthorized; got != want {
					t.Fatalf("GET %s = %d %s, want %d", path, got, body, want)
				}
				errorOf(t, body)
			}
		})
	}

	t.Run("ErrExpired by the clock", func(t *testing.T) {
		// 401 … expired token: a token the server issued, once its exp has passed.
		tok, _ := ts.login(t, x.Email, password)
		ts.must(t, http.StatusOK, "GET", "/api/v1/entries", tok, nil)
		saved := ts.clock.T
		t.Cleanup(func() { ts.clock.T = saved })
		ts.clock.T = saved.Add(auth.TokenTTL + time.Second)
		status, body := ts.do(t, "GET", "/api/v1/entries", tok, nil)
		if got, want := status, http.StatusUnauthorized; got != want {
			t.Fatalf("GET /entries with an expired token = %d %s, want %d", got, body, want)
		}
	})

	t.Run("OK login answers token, role and expires_at", func(t *testing.T) {
		// POST /auth/login {email, password} → 200 {token, role, expires_at}.
		var tk apiToken
		decodeInto(t, ts.must(t, http.StatusOK, "POST", "/api/v1/auth/login", "", map[string]string{"email": x.Email, "password": password}), &tk)
		if tk.Token == "" || tk.Role != judging.RoleExhibitor || !tk.ExpiresAt.Equal(ts.clock.T.Add(auth.TokenTTL)) {
			t.Fatalf("login = %+v, want a token, role exhibitor, expires_at %v", tk, ts.clock.T.Add(auth.TokenTTL))
		}
		ts.must(t, http.StatusOK, "GET", "/api/v1/entries", tk.Token, nil)
	})

	t.Run("ErrBadCredentials same answer for an unknown email", func(t *testing.T) {
		// Wrong credentials → 401 (same answer for unknown email).
		s1, unknown := ts.do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": "nobody@awards.test", "password": password})
		s2, wrong := ts.do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": x.Email, "password": "not the password"})
		if s1 != http.StatusUnauthorized || s2 != http.StatusUnauthorized {
			t.Fatalf("unknown email = %d, wrong password = %d, want 401 both", s1, s2)
		}
		if !bytes.Equal(unknown, wrong) {
			t.Fatalf("unknown email answered %s, wrong password %s: want the same", unknown, wrong)
		}
		errorOf(t, unknown)
	})

	t.Run("ErrRateLimited after 10 failed logins for one email from one IP", func(t *testing.T) {
		// 10 failed logins for one email from one client IP in 15 min → 429 for that pair.
		victim := ts.exhibitor(t, "Victim Co")
		bystander := ts.exhibitor(t, "Bystander Co")
		for i := range judging.LoginPairLimit {
			status, body := ts.do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": victim.Email, "password": "guess " + string(rune('a'+i))})
			if got, want := status, http.StatusUnauthorized; got != want {
				t.Fatalf("failed login %d = %d %s, want %d", i+1, got, body, want)
			}
		}
		// The 11th is refused even with the right password, and whatever the email's case.
		for _, email := range []string{victim.Email, strings.ToUpper(victim.Email)} {
			status, body := ts.do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": password})
			if got, want := status, http.StatusTooManyRequests; got != want {
				t.Fatalf("login %s after 10 failures = %d %s, want %d", email, got, body, want)
			}
			if code, _ := errorOf(t, body); code != "rate_limited" {
				t.Errorf("code = %q, want rate_limited", code)
			}
		}
		// Another email is not limited (the venue's visitors share an IP).
		ts.login(t, bystander.Email, password)
		// The victim's token, issued before, still works: only logins are limited.
		ts.must(t, http.StatusOK, "GET", "/api/v1/entries", victim.Token, nil)
	})

	t.Run("OK successes are never limited", func(t *testing.T) {
		// Rate limits count failures, not successes.
		u := ts.exhibitor(t, "Busy Co")
		for range 2 * judging.LoginPairLimit {
			ts.login(t, u.Email, password)
		}
	})

	t.Run("ErrEmailTaken duplicate email in another case", func(t *testing.T) {
		// POST /auth/register: Duplicate email → 409.
		status, body := ts.do(t, "POST", "/api/v1/auth/register", "", map[string]any{
			"email": strings.ToUpper(x.Email), "password": password, "company": "Copycat", "country": "FR",
		})
		if got, want := status, http.StatusConflict; got != want {
			t.Fatalf("register %s again = %d %s, want %d", strings.ToUpper(x.Email), got, body, want)
		}
		if code, _ := errorOf(t, body); code != "email_taken" {
			t.Errorf("code = %q, want email_taken", code)
		}
	})

	t.Run("ErrBadInvite used twice or unknown", func(t *testing.T) {
		// A used or unknown invite_token → 401.
		var inv struct {
			ID          string `json:"id"`
			InviteToken string `json:"invite_token"`
		}
		decodeInto(t, ts.must(t, http.StatusCreated, "POST", "/api/v1/judges", ts.admin, map[string]any{
			"name": "Once", "email": "once@awards.test", "categories": []string{catCyber},
		}), &inv)
		accept := map[string]string{"invite_token": inv.InviteToken, "password": password}
		var tk apiToken
		decodeInto(t, ts.must(t, http.StatusOK, "POST", "/api/v1/auth/invite", "", accept), &tk)
		if tk.Role != judging.RoleJudge {
			t.Fatalf("invite answered role %q, want judge", tk.Role)
		}
		for _, body := range []map[string]string{
			accept,
			{"invite_token": inv.InviteToken, "password": "another password"},
			{"invite_token": "unknowninvitetoken", "password": password},
		} {
			status, out := ts.do(t, "POST", "/api/v1/auth/invite", "", body)
			if got, want := status, http.StatusUnauthorized; got != want {
				t.Fatalf("POST /auth/invite %v = %d %s, want %d", body, got, out, want)
			}
			if code, _ := errorOf(t, out); code != "invalid_invite" {
				t.Errorf("code = %q, want invalid_invite", code)
			}
		}
		// The password set with the invitation is the judge's, and a second use did not change it.
		ts.login(t, "once@awards.test", password)
		// Neither the invitation nor the password hash is ever shown, even to an admin.
		judges := string(ts.must(t, http.StatusOK, "GET", "/api/v1/judges", ts.admin, nil))
		for _, secret := range []string{inv.InviteToken, "argon2", "password"} {
			if strings.Contains(judges, secret) {
				t.Errorf("GET /judges shows %q: %s", secret, judges)
			}
		}
	})

	t.Run("ErrBadCredentials judge before the invitation", func(t *testing.T) {
		// Wrong credentials → 401: a judge who has not set a password cannot log in.
		ts.must(t, http.StatusCreated, "POST", "/api/v1/judges", ts.admin, map[string]any{
			"name": "Later", "email": "later@awards.test", "categories": []string{catCyber},
		})
		status, body := ts.do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": "later@awards.test", "password": ""})
		if status != http.StatusUnauthorized && status != http.StatusUnprocessableEntity {
			t.Fatalf("login with an empty password = %d %s, want 401 or 422", status, body)
		}
	})
}
