package auth

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/awards-dev/awards/judging"
)

// clockTokens returns Tokens with testSecret on a clock the test moves.
func clockTokens(tb testing.TB) (*Tokens, *time.Time) {
	tb.Helper()
	now := testNow
	tk, err := NewTokens(testSecret, WithClock(func() time.Time { return now }))
	if err != nil {
		tb.Fatalf("NewTokens: %v", err)
	}
	return tk, &now
}

// wantRefused checks err is a 401 with this message.
func wantRefused(tb testing.TB, a judging.Actor, err error, message string) {
	tb.Helper()
	var e *judging.Error
	if !errors.As(err, &e) || !errors.Is(err, judging.ErrUnauthorized) || a != (judging.Actor{}) {
		tb.Fatalf("Verify = %+v, %v; want a 401", a, err)
	}
	if e.Message != message {
		tb.Fatalf("message %q, want %q", e.Message, message)
	}
}

func TestTokens_Verify_remembered(t *testing.T) {
	judge := judging.Actor{ID: "u-judge", Role: judging.RoleJudge}

	t.Run("OK a token sent again is remembered", func(t *testing.T) {
		tk, _ := clockTokens(t)
		tok := sign(t, jwt.SigningMethodHS256, testSecret, goodClaims())
		for range 3 {
			if a, err := tk.Verify(tok); err != nil || a != judge {
				t.Fatalf("Verify = %+v, %v; want %+v", a, err, judge)
			}
		}
		if got, want := tk.verified.len(), 1; got != want {
			t.Fatalf("%d tokens remembered, want %d", got, want)
		}
	})

	t.Run("ErrExpired a remembered token still expires", func(t *testing.T) {
		// 401 expired token: exp is checked against the clock on every call.
		tk, now := clockTokens(t)
		tok := sign(t, jwt.SigningMethodHS256, testSecret, with("exp", testNow.Add(time.Minute).Unix()))
		if _, err := tk.Verify(tok); err != nil {
			t.Fatal(err)
		}
		*now = testNow.Add(time.Minute - time.Second)
		if _, err := tk.Verify(tok); err != nil {
			t.Fatalf("a second before exp: %v", err)
		}
		*now = testNow.Add(time.Minute) // exp is the first instant it no longer works
		a, err := tk.Verify(tok)
		wantRefused(t, a, err, "The token has expired.")
		*now = testNow // and it is forgotten: back before exp, it is parsed (and passes) again
		if _, err := tk.Verify(tok); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("ErrNotValidYet a remembered token's nbf still holds", func(t *testing.T) {
		// 401 no/invalid token: we never set nbf, but one is honoured on every call.
		tk, now := clockTokens(t)
		tok := sign(t, jwt.SigningMethodHS256, testSecret, with("nbf", testNow.Unix()))
		if _, err := tk.Verify(tok); err != nil {
			t.Fatal(err)
		}
		*now = testNow.Add(-time.Second) // a clock set back
		a, err := tk.Verify(tok)
		wantRefused(t, a, err, "The token is not valid yet.")
	})

	t.Run("ErrInvalid a failure is never remembered as a success", func(t *testing.T) {
		// A bad signature → 401, though the same claims, well signed, were accepted before.
		tk, now := clockTokens(t)
		tok := sign(t, jwt.SigningMethodHS256, testSecret, goodClaims())
		if _, err := tk.Verify(tok); err != nil {
			t.Fatal(err)
		}
		parts := strings.Split(tok, ".")
		forged := map[string]string{
			"signed with another key": sign(t, jwt.SigningMethodHS256, []byte("another-secret-of-at-least-32-bytes!"), goodClaims()),
			"no signature":            parts[0] + "." + parts[1] + ".",
			"another payload":         parts[0] + "." + b64(t, with("role", "admin")) + "." + parts[2],
		}
		for name, f := range forged {
			t.Run(name, func(t *testing.T) {
				for range 2 { // twice: the first failure is not remembered either
					a, err := tk.Verify(f)
					wantRefused(t, a, err, "The token is invalid.")
				}
			})
		}
		expired := sign(t, jwt.SigningMethodHS256, testSecret, with("exp", testNow.Add(time.Minute).Unix()))
		*now = testNow.Add(time.Hour)
		a, err := tk.Verify(expired)
		wantRefused(t, a, err, "The token has expired.")
		if got, want := tk.verified.len(), 1; got != want {
			t.Fatalf("%d tokens remembered, want %d (the one that passed)", got, want)
		}
	})

	t.Run("OK the memory is bounded", func(t *testing.T) {
		tk, _ := clockTokens(t)
		for i := range maxVerified + 50 {
			tok := sign(t, jwt.SigningMethodHS256, testSecret, with("sub", fmt.Sprintf("u-%d", i)))
			if _, err := tk.Verify(tok); err != nil {
				t.Fatal(err)
			}
		}
		if got := tk.verified.len(); got != maxVerified {
			t.Fatalf("%d tokens remembered, want the bound %d", got, maxVerified)
		}
	})
}
