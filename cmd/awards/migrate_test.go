package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/awards-dev/awards/config"
	"github.com/awards-dev/awards/judging/judgingtest"
	"github.com/awards-dev/awards/judging/redisstore/redistest"
)

func TestBuild_MigratesTheStore(t *testing.T) {
	// At start the store is migrated: an account created before look-alike emails were
	// claimed blocks a look-alike registration (409) and still logs in.
	t.Run("one server", func(t *testing.T) { migratedAtStart(t, redistest.New(t)) })
	t.Run("Redis Cluster", func(t *testing.T) { migratedAtStart(t, redistest.Cluster(t)) })
}

func migratedAtStart(t *testing.T, rdb redis.UniversalClient) {
	ctx := context.Background()
	const pw = "correct horse battery"
	hash, err := judgingtest.CheapHasher.Hash(pw)
	if err != nil {
		t.Fatal(err)
	}
	// The account as an earlier version wrote it: user, role, login index; no look-alike claim.
	user, _ := json.Marshal(map[string]any{"id": "u_old", "role": "exhibitor", "email": "old@awards.test", "password_hash": hash,
		"company": "Old Co", "country": "FR", "created_at": time.Date(2023, 11, 1, 9, 0, 0, 0, time.UTC)})
	for _, err := range []error{
		rdb.Set(ctx, "awards:{jury}:user:u_old", user, 0).Err(),
		rdb.Set(ctx, "awards:{jury}:email:old@awards.test", "u_old", 0).Err(),
		rdb.SAdd(ctx, "awards:{jury}:role:exhibitor", "u_old").Err(),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := config.Load(nil, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	h, err := build(ctx, cfg, rdb, judgingtest.CheapHasher, slog.New(slog.DiscardHandler), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	c := client{t, ts.URL}
	if got := c.do("POST", "/auth/register", "", map[string]any{"email": "\u043eld@awards.test", "password": pw, "company": "New Co", "country": "FR"}, nil); got != http.StatusConflict {
		t.Fatalf("register a look-alike of an old account = %d, want 409", got)
	}
	c.login("old@awards.test", pw)
}
