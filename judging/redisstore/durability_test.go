package redisstore_test

import (
	"log/slog"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"github.com/awards-dev/awards/judging"
	"github.com/awards-dev/awards/judging/redisstore"
	"github.com/awards-dev/awards/judging/redisstore/redistest"
)

func TestStore_AcknowledgedWritesSurviveRedisKill9(t *testing.T) {
	// Nothing lost: an acknowledged score or entry survives a crash of Redis run with the
	// persistence the README tells users to configure (appendonly yes, appendfsync always).
	srv := redistest.NewDurable(t)
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr})
	t.Cleanup(func() { rdb.Close() })
	r := &rig{tb: t, ctx: t.Context(), rdb: rdb, store: redisstore.New(rdb), clock: &judging.FixedClock{T: t0}}
	r.svc = must(judging.NewService(judging.Deps{Store: r.store, Clock: r.clock, Hasher: cheapHasher, Logger: slog.New(slog.DiscardHandler)}))(t)
	must(r.svc.EnsureAdmin(r.ctx, "admin@awards.test", "admin-password"))(t)
	u := must(r.svc.Login(r.ctx, "admin@awards.test", "admin-password", ""))(t)
	r.admin = judging.Actor{ID: u.ID, Role: judging.RoleAdmin}
	must(r.svc.PutProgramme(r.ctx, r.admin, programme()))(t)

	e, j := r.entry("Acme"), r.judge()
	r.assign(j, e)
	sc := r.score(j, e, marks(7, 4)) // acknowledged: SubmitScore returned

	srv.Kill9()
	srv.Restart()

	got := must(r.store.CategoryScores(r.ctx, cat))(t)
	if diff := cmp.Diff([]judging.Score{sc}, got); diff != "" {
		t.Fatalf("scores after Redis was killed (-acknowledged +found):\n%s", diff)
	}
	if _, err := r.svc.Entry(r.ctx, r.admin, e.ID); err != nil {
		t.Fatalf("entry after Redis was killed: %v", err)
	}
	if check := must(r.svc.VerifyAudit(r.ctx, r.admin))(t); !check.OK || check.Records != 1 {
		t.Fatalf("audit after Redis was killed: %+v", check)
	}
}
