package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/awards-dev/awards/judging"
)

var (
	testSecret = []byte("0123456789abcdef0123456789abcdef") // 32 bytes
	testNow    = time.Date(2026, time.March, 10, 9, 0, 0, 0, time.UTC)
)

// newTestTokens returns Tokens with testSecret whose clock stands at testNow.
func newTestTokens(tb testing.TB) *Tokens {
	tb.Helper()
	tk, err := NewTokens(testSecret, WithClock(func() time.Time { return testNow }))
	if err != nil {
		tb.Fatalf("NewTokens: %v", err)
	}
	return tk
}

// goodClaims returns the claims of a valid judge token at testNow; cases edit a copy.
func goodClaims() jwt.MapClaims {
	return jwt.MapClaims{
		"sub":  "u-judge",
		"role": "judge",
		"iss":  "awards",
		"aud":  "awards",
		"iat":  testNow.Unix(),
		"exp":  testNow.Add(time.Hour).Unix(),
	}
}

// with returns goodClaims with the given claims set, or removed when the value is nil.
func with(kv ...any) jwt.MapClaims {
	c := goodClaims()
	for i := 0; i < len(kv); i += 2 {
		k := kv[i].(string)
		if kv[i+1] == nil {
			delete(c, k)
		} else {
			c[k] = kv[i+1]
		}
	}
	return c
}

// sign signs claims with the library, for any method and key.
func sign(tb testing.TB, m jwt.SigningMethod, key any, c jwt.MapClaims) string {
	tb.Helper()
	s, err := jwt.NewWithClaims(m, c).SignedString(key)
	if err != nil {
		tb.Fatalf("sign: %v", err)
	}
	return s
}

// b64 is a JWT segment of v marshalled to JSON.
func b64(tb testing.TB, v any) string {
	tb.Helper()
	j, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(j)
}

// craft builds a token by hand: header, claims and an HMAC-SHA256 signature with key, or
// no signature at all when key is nil.
func craft(tb testing.TB, header map[string]any, c jwt.MapClaims, key []byte) string {
	tb.Helper()
	signing := b64(tb, header) + "." + b64(tb, c)
	if key == nil {
		return signing + "."
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(signing))
	return signing + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

func TestNewTokens(t *testing.T) {
	t.Run("ErrShortSecret", func(t *testing.T) {
		// AWARDS_JWT_SECRET: HS256 signing secret (≥ 32 bytes).
		if _, err := NewTokens(testSecret[:31]); err == nil {
			t.Fatal("NewTokens accepted a 31-byte secret")
		}
	})
	t.Run("OK", func(t *testing.T) {
		// AWARDS_JWT_SECRET: HS256 signing secret (≥ 32 bytes).
		if _, err := NewTokens(testSecret); err != nil {
			t.Fatalf("NewTokens(32 bytes): %v", err)
		}
	})
}

func TestTokens_Issue(t *testing.T) {
	tk := newTestTokens(t)
	t.Run("OK", func(t *testing.T) {
		// JWT claims: sub (user id), role, iss = awards, aud = awards, iat, exp.
		tok, exp, err := tk.Issue(judging.Actor{ID: "u-1", Role: judging.RoleAdmin}, TokenTTL)
		if err != nil {
			t.Fatalf("Issue: %v", err)
		}
		if got, want := exp, testNow.Add(TokenTTL); !got.Equal(want) {
			t.Fatalf("expires = %v, want %v", got, want)
		}
		parts := strings.Split(tok, ".")
		if len(parts) != 3 {
			t.Fatalf("token has %d parts", len(parts))
		}
		var header, claims map[string]any
		for i, dst := range []*map[string]any{&header, &claims} {
			raw, err := base64.RawURLEncoding.DecodeString(parts[i])
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(raw, dst); err != nil {
				t.Fatal(err)
			}
		}
		if got, want := header["alg"], "HS256"; got != want {
			t.Fatalf("alg = %v, want %v", got, want)
		}
		want := map[string]any{
			"sub": "u-1", "role": "admin", "iss": "awards", "aud": []any{"awards"},
			"iat": float64(testNow.Unix()), "exp": float64(testNow.Add(TokenTTL).Unix()),
		}
		if got, want := len(claims), len(want); got != want {
			t.Fatalf("claims = %v, want %v", claims, want)
		}
		for k, w := range want {
			g, _ := json.Marshal(claims[k])
			ww, _ := json.Marshal(w)
			if string(g) != string(ww) {
				t.Fatalf("claim %s = %s, want %s", k, g, ww)
			}
		}
	})
	t.Run("ErrNotAUser", func(t *testing.T) {
		// Roles: admin, judge, exhibitor, screen, voter — the public gets no token.
		for _, a := range []judging.Actor{{}, {ID: "u-1"}, {ID: "u-1", Role: "root"}, {Role: judging.RoleAdmin}} {
			if _, _, err := tk.Issue(a, TokenTTL); err == nil {
				t.Errorf("Issue(%+v) succeeded", a)
			}
		}
	})
	t.Run("ErrTTL", func(t *testing.T) {
		// exp is required, and must lie after iat.
		if _, _, err := tk.Issue(judging.Actor{ID: "u-1", Role: judging.RoleJudge}, 0); err == nil {
			t.Fatal("Issue with ttl 0 succeeded")
		}
	})
}

func TestTokens_Verify(t *testing.T) {
	tk := newTestTokens(t)
	issued, _, err := tk.Issue(judging.Actor{ID: "u-judge", Role: judging.RoleJudge}, TokenTTL)
	if err != nil {
		t.Fatalf("Issue: %v", err)
	}
	judge := judging.Actor{ID: "u-judge", Role: judging.RoleJudge}
	shared := *judging.ErrUnauthorized
	hs256 := jwt.SigningMethodHS256

	tests := []struct {
		name    string
		token   string
		want    judging.Actor // zero: expect a 401
		message string        // if set, the 401's message
	}{
		{
			// Auth: Authorization: Bearer <JWT> — a token Issue made is accepted.
			name: "OK round trip", token: issued, want: judge,
		},
		{
			// JWT claims: sub, role, iss = awards, aud = awards, iat, exp (aud as a string).
			name: "OK hand-signed HS256", token: sign(t, hs256, testSecret, goodClaims()), want: judge,
		},
		{
			// exp is checked against the clock: a second before it the token still works.
			name:  "OK one second before exp",
			token: sign(t, hs256, testSecret, with("exp", testNow.Add(time.Second).Unix())), want: judge,
		},
		{
			// iat is not checked: a clock a little ahead on one instance must not break its
			// tokens on another; only our key can sign, so it protects nothing.
			name:  "OK iat in the future",
			token: sign(t, hs256, testSecret, with("iat", testNow.Add(time.Minute).Unix())), want: judge,
		},
		{
			// Tokens with another algorithm than the server's → 401 (alg "none", unsigned).
			name:  "alg none",
			token: craft(t, map[string]any{"alg": "none", "typ": "JWT"}, goodClaims(), nil),
		},
		{
			// Tokens with another algorithm than the server's → 401 (alg "none", HMAC signed).
			name:  "alg none with a signature",
			token: craft(t, map[string]any{"alg": "none", "typ": "JWT"}, goodClaims(), testSecret),
		},
		{
			// A bad signature → 401.
			name:  "signed with a wrong key",
			token: sign(t, hs256, []byte("another-secret-of-at-least-32-bytes!"), goodClaims()),
		},
		{
			// A bad signature → 401 (the claims were changed after signing: judge → admin).
			name: "tampered claims",
			token: func() string {
				parts := strings.Split(sign(t, hs256, testSecret, goodClaims()), ".")
				return parts[0] + "." + b64(t, with("role", "admin")) + "." + parts[2]
			}(),
		},
		{
			// A bad signature → 401 (no signature).
			name: "signature removed",
			token: func() string {
				parts := strings.Split(sign(t, hs256, testSecret, goodClaims()), ".")
				return parts[0] + "." + parts[1] + "."
			}(),
		},
		{
			// Tokens with another algorithm than the server's → 401 (HS384, same key).
			name: "HS384 with the same key", token: sign(t, jwt.SigningMethodHS384, testSecret, goodClaims()),
		},
		{
			// Tokens with another algorithm than the server's → 401 (HS512, same key).
			name: "HS512 with the same key", token: sign(t, jwt.SigningMethodHS512, testSecret, goodClaims()),
		},
		{
			// Tokens with another algorithm than the server's → 401 (RS256 header, HMAC
			// signature: the key-confusion attack).
			name:  "RS256 header with an HMAC signature",
			token: craft(t, map[string]any{"alg": "RS256", "typ": "JWT"}, goodClaims(), testSecret),
		},
		{
			// Tokens with another algorithm than the server's → 401 (lower-case "hs256").
			name:  "alg hs256 in lower case",
			token: craft(t, map[string]any{"alg": "hs256", "typ": "JWT"}, goodClaims(), testSecret),
		},
		{
			// 401 expired token.
			name:    "expired",
			token:   sign(t, hs256, testSecret, with("exp", testNow.Add(-time.Second).Unix())),
			message: "The token has expired.",
		},
		{
			// 401 expired token (exp is the first instant it no longer works).
			name:    "exp exactly now",
			token:   sign(t, hs256, testSecret, with("exp", testNow.Unix())),
			message: "The token has expired.",
		},
		{
			// 401 expired token (issued by Issue thirteen hours ago with TokenTTL).
			name: "issued beyond TokenTTL",
			token: func() string {
				old, err := NewTokens(testSecret, WithClock(func() time.Time { return testNow.Add(-13 * time.Hour) }))
				if err != nil {
					t.Fatal(err)
				}
				s, _, err := old.Issue(judge, TokenTTL)
				if err != nil {
					t.Fatal(err)
				}
				return s
			}(),
			message: "The token has expired.",
		},
		{
			// Tokens with no exp → 401.
			name: "no exp claim", token: sign(t, hs256, testSecret, with("exp", nil)),
		},
		{
			// Tokens with no exp → 401 (an exp that is not a number is no exp).
			name: "exp not a number", token: sign(t, hs256, testSecret, with("exp", "tomorrow")),
		},
		{
			// A wrong aud → 401.
			name: "wrong aud", token: sign(t, hs256, testSecret, with("aud", "other")),
		},
		{
			// A wrong aud → 401 (none at all).
			name: "no aud", token: sign(t, hs256, testSecret, with("aud", nil)),
		},
		{
			// A wrong aud → 401 (a list without awards).
			name: "aud list without awards", token: sign(t, hs256, testSecret, with("aud", []string{"a", "b"})),
		},
		{
			// A wrong iss → 401.
			name: "wrong iss", token: sign(t, hs256, testSecret, with("iss", "other")),
		},
		{
			// A wrong iss → 401 (none at all).
			name: "no iss", token: sign(t, hs256, testSecret, with("iss", nil)),
		},
		{
			// A sub that is not a user → 401 (no sub).
			name: "missing sub", token: sign(t, hs256, testSecret, with("sub", nil)),
		},
		{
			// A sub that is not a user → 401 (empty sub).
			name: "empty sub", token: sign(t, hs256, testSecret, with("sub", "")),
		},
		{
			// A role that is not that user's → 401 (not a role at all).
			name: "invalid role", token: sign(t, hs256, testSecret, with("role", "superuser")),
		},
		{
			// A role that is not that user's → 401 (no role: the public has no token).
			name: "missing role", token: sign(t, hs256, testSecret, with("role", nil)),
		},
		{
			// A role that is not that user's → 401 (roles are case-sensitive).
			name: "role in upper case", token: sign(t, hs256, testSecret, with("role", "ADMIN")),
		},
		{
			// A role that is not that user's → 401 (not a string).
			name: "role not a string", token: sign(t, hs256, testSecret, with("role", 1)),
		},
		{
			// 401 no/invalid token: we never set nbf, but one in the future is honoured.
			name:    "nbf in the future",
			token:   sign(t, hs256, testSecret, with("nbf", testNow.Add(time.Minute).Unix())),
			message: "The token is not valid yet.",
		},
		{
			// 401 no/invalid token (empty string).
			name: "garbage empty",
		},
		{
			// 401 no/invalid token (one word).
			name: "garbage word", token: "not-a-token",
		},
		{
			// 401 no/invalid token (three empty segments).
			name: "garbage dots", token: "..",
		},
		{
			// 401 no/invalid token (three segments that are not base64 JSON).
			name: "garbage segments", token: "a.b.c",
		},
		{
			// 401 no/invalid token (a valid token with a fourth segment).
			name: "extra segment", token: issued + ".x",
		},
		{
			// 401 no/invalid token (a valid token padded with base64 '=').
			name: "padded segments",
			token: func() string {
				parts := strings.Split(issued, ".")
				return parts[0] + "==." + parts[1] + "." + parts[2]
			}(),
		},
		{
			// 401 no/invalid token (JSON claims that are not an object).
			name:  "claims not an object",
			token: b64(t, map[string]any{"alg": "HS256"}) + "." + base64.RawURLEncoding.EncodeToString([]byte(`[1,2]`)) + ".",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tk.Verify(tt.token)
			if tt.want != (judging.Actor{}) {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				if got != tt.want {
					t.Fatalf("Verify = %+v, want %+v", got, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("Verify accepted it as %+v", got)
			}
			if got != (judging.Actor{}) {
				t.Fatalf("Verify failed but returned actor %+v", got)
			}
			if !errors.Is(err, judging.ErrUnauthorized) || judging.ErrorKind(err) != judging.KindUnauthorized {
				t.Fatalf("err = %v, want judging.ErrUnauthorized", err)
			}
			if tt.message != "" {
				var e *judging.Error
				if errors.As(err, &e); e.Message != tt.message {
					t.Fatalf("message = %q, want %q", e.Message, tt.message)
				}
			}
		})
	}
	if got, want := *judging.ErrUnauthorized, shared; got != want {
		t.Fatalf("Verify changed judging.ErrUnauthorized to %+v", got)
	}
}
