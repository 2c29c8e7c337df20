package redisstore_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"github.com/awards-dev/awards/judging"
	"github.com/awards-dev/awards/judging/judgingtest"
	"github.com/awards-dev/awards/judging/redisstore/redistest"
)

func TestStore_AcknowledgedWritesSurviveRedisKill9(t *testing.T) {
	// Nothing lost: an acknowledged score or entry survives a crash of Redis run with the
	// persistence the README tells users to configure (appendonly yes, appendfsync always).
	srv := redistest.NewDurable(t)
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr})
	t.Cleanup(func() { rdb.Close() })
	r := &rig{judgingtest.NewOn(t, rdb)}

	e, j := r.entry("Acme"), r.judge()
	r.Assign(j, e)
	sc := r.Score(j, e, judgingtest.Cyber(7, 4)) // acknowledged: SubmitScore returned

	srv.Kill9()
	srv.Restart()

	got := judgingtest.Must(r.Store.CategoryScores(r.Ctx, judgingtest.CatCyber))(t)
	if diff := cmp.Diff([]judging.Score{sc}, got); diff != "" {
		t.Fatalf("scores after Redis was killed (-acknowledged +found):\n%s", diff)
	}
	if _, err := r.Svc.Entry(r.Ctx, r.Admin, e.ID); err != nil {
		t.Fatalf("entry after Redis was killed: %v", err)
	}
	if check := judgingtest.Must(r.Svc.VerifyAudit(r.Ctx, r.Admin))(t); !check.OK || check.Records != 1 {
		t.Fatalf("audit after Redis was killed: %+v", check)
	}
}
