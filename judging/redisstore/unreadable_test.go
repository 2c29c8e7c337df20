package redisstore_test

import (
	"context"
	"log/slog"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/awards-dev/awards/judging"
	"github.com/awards-dev/awards/judging/redisstore"
)

// warnings is a slog.Handler that keeps the messages of warnings and errors.
type warnings struct {
	mu   sync.Mutex
	msgs []string
}

func (w *warnings) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }
func (w *warnings) WithAttrs([]slog.Attr) slog.Handler           { return w }
func (w *warnings) WithGroup(string) slog.Handler                { return w }
func (w *warnings) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Message)
	r.Attrs(func(a slog.Attr) bool {
		b.WriteString(" " + a.Key + "=" + a.Value.String())
		return true
	})
	w.mu.Lock()
	defer w.mu.Unlock()
	w.msgs = append(w.msgs, b.String())
	return nil
}

func (w *warnings) take() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.msgs
	w.msgs = nil
	return out
}

func TestStore_CategoryScores_unreadable(t *testing.T) {
	// Reading code survives one bad stored record: it is left out and reported, not a failure
	// of the whole category.
	r := newRig(t)
	ctx := r.ctx
	logs := &warnings{}
	s := redisstore.New(r.rdb, redisstore.WithLogger(slog.New(logs)))
	good, nan, inf := r.entry("Good"), r.entry("NaN"), r.entry("Inf")
	j := r.judge()
	r.assign(j, good, nan, inf)
	want := r.score(j, good, marks(5, 3))
	// As a version without the programme rules did: totals that are not numbers.
	for _, w := range []judging.ScoreWrite{
		r.write(j, nan, `{"comment":"","scores":{"impact":3,"innovation":5}}`, math.NaN()),
		r.write(j, inf, `{"comment":"","scores":{"impact":3,"innovation":5}}`, math.Inf(-1)),
	} {
		if _, _, err := s.SaveScore(ctx, w); err == nil {
			t.Fatalf("SaveScore of total %v: no error, want the stored score reported unreadable", w.Total)
		}
	}
	if p := must(s.Progress(ctx, cat))(t); p.Scored != 3 {
		t.Fatalf("fixture: %d scores stored, want 3", p.Scored)
	}
	logs.take()

	t.Run("OK CategoryScores leaves the unreadable scores out", func(t *testing.T) {
		if diff := cmp.Diff([]judging.Score{want}, must(s.CategoryScores(ctx, cat))(t)); diff != "" {
			t.Fatalf("CategoryScores (-want +got):\n%s", diff)
		}
	})

	t.Run("OK ScoreHistory leaves the unreadable versions out", func(t *testing.T) {
		if got := must(s.ScoreHistory(ctx, nan.ID))(t); len(got[j.ID]) != 0 {
			t.Fatalf("ScoreHistory = %v, want no readable version", got)
		}
		if diff := cmp.Diff(map[string][]judging.Score{j.ID: {want}}, must(s.ScoreHistory(ctx, good.ID))(t)); diff != "" {
			t.Fatalf("ScoreHistory of the good entry (-want +got):\n%s", diff)
		}
	})

	t.Run("OK each unreadable record is logged once", func(t *testing.T) {
		// Warn once per bad record: not on every read, or a polled page floods the log.
		must(s.CategoryScores(ctx, cat))(t)
		must(s.ScoreHistory(ctx, inf.ID))(t)
		msgs := strings.Join(logs.take(), "\n")
		for _, id := range []string{nan.ID, inf.ID} {
			if got := strings.Count(msgs, "cur:"+cat+" "+id+"|"+j.ID); got != 1 {
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
		if err := r.rdb.HSet(ctx, "awards:{jury}:cur:"+cat, "e_x|u_y", "{not json").Err(); err != nil {
			t.Fatal(err)
		}
		if got := len(must(s.CategoryScores(ctx, cat))(t)); got != 1 {
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
	r.assign(j, e, nan)
	r.score(j, e, marks(5, 3))
	_, _, _ = r.store.SaveScore(r.ctx, r.write(j, nan, `{"comment":"","scores":{"impact":3,"innovation":5}}`, math.NaN()))
	r.score(j, e, marks(6, 3))

	res := must(r.svc.VerifyAudit(r.ctx, r.admin))(t)
	want := judging.AuditCheck{OK: false, Records: 3, Head: must(r.store.AuditHead(r.ctx))(t), Problem: "record 2: its score cannot be read"}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Fatalf("VerifyAudit (-want +got):\n%s", diff)
	}

	rows := must(r.svc.AuditCSV(r.ctx, r.admin))(t)
	recs := must(r.store.Audit(r.ctx))(t)
	if got, want := len(rows), 4; got != want {
		t.Fatalf("%d rows, want a header and 3 records", got)
	}
	bad := rows[2]
	if bad[0] != "2" || bad[3] != "unreadable" || bad[len(bad)-1] != recs[1].Hash {
		t.Fatalf("row of the unreadable record = %q, want seq 2, action unreadable, its hash", bad)
	}
	if rows[3][3] != "score" || rows[3][0] != "3" {
		t.Fatalf("the record after it = %q, want a readable score row", rows[3])
	}

	t.Run("a broken chain is still found past an unreadable record", func(t *testing.T) {
		// The chain check reads only each record's seq, so it still works.
		r.rewrite(func(i int, f map[string]any) {
			if i == 2 {
				f["payload"] = strings.Replace(f["payload"].(string), `"comment":""`, `"comment":"edited"`, 1)
			}
		})
		res := must(r.svc.VerifyAudit(r.ctx, r.admin))(t)
		if res.OK || !strings.HasPrefix(res.Problem, "record 3:") {
			t.Fatalf("VerifyAudit = %+v, want record 3 reported", res)
		}
	})
}
