package redisstore_test

import (
	"log/slog"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/awards-dev/awards/judging"
	"github.com/awards-dev/awards/judging/judgingtest"
	"github.com/awards-dev/awards/judging/redisstore"
)

func TestStore_CategoryScores_unreadable(t *testing.T) {
	// Reading code survives one bad stored record: it is left out and reported, not a failure
	// of the whole category.
	r := newRig(t)
	ctx := r.Ctx
	logs := &judgingtest.Logs{Level: slog.LevelWarn}
	s := redisstore.New(r.RDB, redisstore.WithLogger(slog.New(logs)))
	good, nan, inf := r.entry("Good"), r.entry("NaN"), r.entry("Inf")
	j := r.judge()
	r.Assign(j, good, nan, inf)
	want := r.Score(j, good, judgingtest.Cyber(5, 3))
	// As a version without the programme rules did: totals that are not numbers.
	for _, w := range []judging.ScoreWrite{
		r.write(j, nan, `{"comment":"","scores":{"impact":3,"innovation":5}}`, math.NaN()),
		r.write(j, inf, `{"comment":"","scores":{"impact":3,"innovation":5}}`, math.Inf(-1)),
	} {
		if _, _, err := s.SaveScore(ctx, w); err == nil {
			t.Fatalf("SaveScore of total %v: no error, want the stored score reported unreadable", w.Total)
		}
	}
	if p := judgingtest.Must(s.Progress(ctx, judgingtest.CatCyber))(t); p.Scored != 3 {
		t.Fatalf("fixture: %d scores stored, want 3", p.Scored)
	}
	logs.Take()

	t.Run("OK CategoryScores leaves the unreadable scores out", func(t *testing.T) {
		if diff := cmp.Diff([]judging.Score{want}, judgingtest.Must(s.CategoryScores(ctx, judgingtest.CatCyber))(t)); diff != "" {
			t.Fatalf("CategoryScores (-want +got):\n%s", diff)
		}
	})

	t.Run("OK ScoreHistory leaves the unreadable versions out", func(t *testing.T) {
		if got := judgingtest.Must(s.ScoreHistory(ctx, nan.ID))(t); len(got[j.ID]) != 0 {
			t.Fatalf("ScoreHistory = %v, want no readable version", got)
		}
		if diff := cmp.Diff(map[string][]judging.Score{j.ID: {want}}, judgingtest.Must(s.ScoreHistory(ctx, good.ID))(t)); diff != "" {
			t.Fatalf("ScoreHistory of the good entry (-want +got):\n%s", diff)
		}
	})

	t.Run("OK each unreadable record is logged once", func(t *testing.T) {
		// Warn once per bad record: not on every read, or a polled page floods the log.
		judgingtest.Must(s.CategoryScores(ctx, judgingtest.CatCyber))(t)
		judgingtest.Must(s.ScoreHistory(ctx, inf.ID))(t)
		msgs := strings.Join(logs.Take(), "\n")
		for _, id := range []string{nan.ID, inf.ID} {
			if got := strings.Count(msgs, "cur:"+judgingtest.CatCyber+" "+id+"|"+j.ID); got != 1 {
				t.Errorf("counting score of %s logged %d times, want once:\n%s", id, got, msgs)
			}
			if got := strings.Count(msgs, "hist:"+id+":"+j.ID+" 0"); got != 1 {
				t.Errorf("history of %s logged %d times, want once:\n%s", id, got, msgs)
			}
		}
		if strings.Contains(msgs, good.ID) {
			t.Errorf("a readable score was logged:\n%s", msgs)
		}
	})

	t.Run("OK a record that is not JSON at all is left out too", func(t *testing.T) {
		if err := r.RDB.HSet(ctx, "awards:{jury}:cur:"+judgingtest.CatCyber, "e_x|u_y", "{not json").Err(); err != nil {
			t.Fatal(err)
		}
		if got := len(judgingtest.Must(s.CategoryScores(ctx, judgingtest.CatCyber))(t)); got != 1 {
			t.Fatalf("%d scores, want the 1 readable one", got)
		}
	})
}

func TestService_VerifyAudit_unreadable(t *testing.T) {
	// /audit/verify reports an unreadable record as ok:false naming it, rather than failing;
	// /audit.csv writes a row for it (seq, hash, action "unreadable").
	r := newRig(t)
	e, nan := r.entry("Good"), r.entry("NaN")
	j := r.judge()
	r.Assign(j, e, nan)
	r.Score(j, e, judgingtest.Cyber(5, 3))
	_, _, _ = r.Store.SaveScore(r.Ctx, r.write(j, nan, `{"comment":"","scores":{"impact":3,"innovation":5}}`, math.NaN()))
	r.Score(j, e, judgingtest.Cyber(6, 3))

	res := judgingtest.Must(r.Svc.VerifyAudit(r.Ctx, r.Admin))(t)
	want := judging.AuditCheck{OK: false, Records: 3, Head: judgingtest.Must(r.Store.AuditHead(r.Ctx))(t), Problem: "record 2: its score cannot be read"}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Fatalf("VerifyAudit (-want +got):\n%s", diff)
	}

	rows := judgingtest.Must(r.Svc.AuditExport(r.Ctx, r.Admin))(t)
	recs := judgingtest.Must(r.Store.Audit(r.Ctx))(t)
	if got, want := len(rows), 3; got != want {
		t.Fatalf("%d rows, want 3 records", got)
	}
	bad := rows[1]
	if bad.Seq != 2 || bad.Action != judging.ActionUnreadable || bad.Hash != recs[1].Hash {
		t.Fatalf("row of the unreadable record = %+v, want seq 2, action unreadable, its hash", bad)
	}
	if rows[2].Action != "score" || rows[2].Seq != 3 {
		t.Fatalf("the record after it = %+v, want a readable score row", rows[2])
	}

	t.Run("a broken chain is still found past an unreadable record", func(t *testing.T) {
		// The chain check reads only each record's seq, so it still works.
		r.rewrite(func(i int, f map[string]any) {
			if i == 2 {
				f["payload"] = strings.Replace(f["payload"].(string), `"comment":""`, `"comment":"edited"`, 1)
			}
		})
		res := judgingtest.Must(r.Svc.VerifyAudit(r.Ctx, r.Admin))(t)
		if res.OK || !strings.HasPrefix(res.Problem, "record 3:") {
			t.Fatalf("VerifyAudit = %+v, want record 3 reported", res)
		}
	})
}
