package redisstore_test

import (
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/awards-dev/awards/judging"
	"github.com/awards-dev/awards/judging/judgingtest"
	"github.com/awards-dev/awards/judging/redisstore"
	"github.com/awards-dev/awards/judging/redisstore/redistest"
)

// oldUser writes an account as versions before the look-alike claim did: the user, its role
// and its login index (the email trimmed and lower-cased), nothing else.
func oldUser(tb testing.TB, rdb redis.UniversalClient, id, email, hash string, at time.Time) {
	tb.Helper()
	b, err := json.Marshal(map[string]any{"id": id, "role": "exhibitor", "email": email, "password_hash": hash, "company": "Old Co", "country": "FR", "created_at": at})
	if err != nil {
		tb.Fatal(err)
	}
	ctx := tb.Context()
	if err := rdb.Set(ctx, "awards:{jury}:user:"+id, b, 0).Err(); err != nil {
		tb.Fatal(err)
	}
	if err := rdb.Set(ctx, "awards:{jury}:email:"+strings.ToLower(strings.TrimSpace(email)), id, 0).Err(); err != nil {
		tb.Fatal(err)
	}
	if err := rdb.SAdd(ctx, "awards:{jury}:role:exhibitor", id).Err(); err != nil {
		tb.Fatal(err)
	}
}

func TestStore_Migrate(t *testing.T) {
	const pw = "correct horse battery"
	hash := judgingtest.Must(judgingtest.CheapHasher.Hash(pw))(t)
	// Two old accounts whose emails look alike (a Cyrillic а), created before the rule, and
	// one ordinary account.
	setup := func(t *testing.T) (redis.UniversalClient, *redisstore.Store, *judgingtest.Logs) {
		rdb := redistest.New(t)
		oldUser(t, rdb, "u_admin", "admin@old.test", hash, judgingtest.T0)
		oldUser(t, rdb, "u_lookalike", "\u0430dmin@old.test", hash, judgingtest.T0.Add(time.Hour))
		oldUser(t, rdb, "u_alice", "Alice@Old.test", hash, judgingtest.T0.Add(2*time.Hour))
		logs := &judgingtest.Logs{Level: slog.LevelWarn}
		return rdb, redisstore.New(rdb, redisstore.WithLogger(slog.New(logs))), logs
	}

	t.Run("OK existing emails claim their look-alikes", func(t *testing.T) {
		// A look-alike of an email that existed before the rule is 409 email_taken after Migrate.
		rdb, s, logs := setup(t)
		if err := s.Migrate(t.Context()); err != nil {
			t.Fatalf("Migrate: %v", err)
		}
		for _, email := range []string{"\u0430lice@old.test", "alice@old.test\u200b", "ALICE@OLD.TEST", "admin@\u043eld.test"} {
			err := s.CreateUser(t.Context(), judging.User{ID: "u_new", Role: judging.RoleExhibitor, Email: email, CreatedAt: judgingtest.T0}, judging.Invitation{})
			judgingtest.WantErr(t, err, judging.ErrEmailTaken)
		}
		if got := judgingtest.Must(rdb.Get(t.Context(), "awards:{jury}:schema").Result())(t); got != "1" {
			t.Fatalf("schema = %q, want 1", got)
		}
		msgs := strings.Join(logs.Take(), "\n")
		if !strings.Contains(msgs, "look-alike") || !strings.Contains(msgs, "u_lookalike") || !strings.Contains(msgs, "claimed_by=u_admin") {
			t.Fatalf("the collision of two existing accounts was not logged as such:\n%s", msgs)
		}
	})

	t.Run("OK every existing account still logs in", func(t *testing.T) {
		// No existing account is ever locked out, look-alikes included.
		_, s, _ := setup(t)
		if err := s.Migrate(t.Context()); err != nil {
			t.Fatalf("Migrate: %v", err)
		}
		svc := judgingtest.Must(judging.NewService(judging.Deps{Ports: s.Ports(), Hasher: judgingtest.CheapHasher, Logger: slog.New(slog.DiscardHandler)}))(t)
		for email, id := range map[string]string{"admin@old.test": "u_admin", "\u0430dmin@old.test": "u_lookalike", "alice@old.test": "u_alice"} {
			u, err := svc.Login(t.Context(), email, pw, "")
			if err != nil || u.ID != id {
				t.Errorf("Login(%+q) = %q, %v; want %q", email, u.ID, err, id)
			}
		}
	})

	t.Run("OK running it again changes nothing", func(t *testing.T) {
		// Idempotent: a second run (a restart) finds the schema current and does nothing.
		rdb, s, logs := setup(t)
		for range 2 {
			if err := s.Migrate(t.Context()); err != nil {
				t.Fatalf("Migrate: %v", err)
			}
		}
		logs.Take()
		before := judgingtest.Must(rdb.Keys(t.Context(), "*").Result())(t)
		if err := s.Migrate(t.Context()); err != nil {
			t.Fatalf("Migrate: %v", err)
		}
		if msgs := logs.Take(); len(msgs) != 0 {
			t.Fatalf("a current schema logged %q", msgs)
		}
		if after := judgingtest.Must(rdb.Keys(t.Context(), "*").Result())(t); len(after) != len(before) {
			t.Fatalf("keys %d → %d", len(before), len(after))
		}
	})

	t.Run("OK two instances at once", func(t *testing.T) {
		// Safe if two instances run it at once: the older account holds the claim either way.
		rdb, s, _ := setup(t)
		other := redisstore.New(rdb)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, st := range []*redisstore.Store{s, other} {
			wg.Go(func() { errs[i] = st.Migrate(t.Context()) })
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatalf("Migrate: %v", err)
			}
		}
		if got := judgingtest.Must(rdb.Get(t.Context(), "awards:{jury}:emailkey:"+judging.EmailKey("admin@old.test")).Result())(t); got != "u_admin" {
			t.Fatalf("the look-alike claim is held by %q, want the older u_admin", got)
		}
	})

	t.Run("OK a newer schema is left alone", func(t *testing.T) {
		// An older instance never lowers the version a newer one set.
		rdb, s, _ := setup(t)
		if err := rdb.Set(t.Context(), "awards:{jury}:schema", "7", 0).Err(); err != nil {
			t.Fatal(err)
		}
		if err := s.Migrate(t.Context()); err != nil {
			t.Fatalf("Migrate: %v", err)
		}
		if got := judgingtest.Must(rdb.Get(t.Context(), "awards:{jury}:schema").Result())(t); got != "7" {
			t.Fatalf("schema = %q, want 7", got)
		}
	})
}

func TestStore_CreateUser_lookalike(t *testing.T) {
	ctx := t.Context()
	s := redisstore.New(redistest.New(t))
	admin := judging.User{ID: "u_admin", Role: judging.RoleAdmin, Email: "admin@awards.test", CreatedAt: judgingtest.T0}
	if err := s.CreateUser(ctx, admin, judging.Invitation{}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		email string
		login bool // whether a login with it finds the admin (the same email, cleaned)
	}{
		{"\u0430dmin@awards.test", false},
		{"ADMIN@awards.test", true},
		{"ａｄｍｉｎ@awards.test", true},
		{"ad\u00admin@awards.test", true},
	} {
		t.Run("ErrEmailTaken "+tc.email, func(t *testing.T) {
			// A look-alike of an existing email is taken; the loser writes nothing.
			judgingtest.WantErr(t, s.CreateUser(ctx, judging.User{ID: "u_fake", Role: judging.RoleExhibitor, Email: tc.email, CreatedAt: judgingtest.T0}, judging.Invitation{}), judging.ErrEmailTaken)
			_, err := s.User(ctx, "u_fake")
			judgingtest.WantErr(t, err, judging.ErrNotFound)
			// A look-alike from another script is no way into the account; the same email with
			// case, fullwidth or invisible differences is.
			u, err := s.UserByEmail(ctx, tc.email)
			if tc.login && (err != nil || u.ID != admin.ID) {
				t.Fatalf("UserByEmail = %q, %v; want %q", u.ID, err, admin.ID)
			}
			if !tc.login {
				judgingtest.WantErr(t, err, judging.ErrNotFound)
			}
		})
	}
	t.Run("OK the login index is the email lower-cased", func(t *testing.T) {
		// Logins find an account by its email, case-insensitively, as always.
		if got := judgingtest.Must(s.UserByEmail(ctx, " Admin@Awards.TEST "))(t); got.ID != admin.ID {
			t.Fatalf("UserByEmail = %q, want %q", got.ID, admin.ID)
		}
	})
}
