package redisstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/awards-dev/awards/judging"
	"github.com/awards-dev/awards/judging/judgingtest"
	"github.com/awards-dev/awards/judging/redisstore/redistest"
)

func TestStore_SaveScore_checks(t *testing.T) {
	// A score write checks, in one atomic step and in this order: the judge's account (401),
	// the entry (404) and its category, the programme's revision, the assignment (403),
	// judging closed (409), the category frozen (409), the marks (422). A refused write
	// writes nothing.
	r := newRig(t)
	s, ctx := r.Store, r.Ctx
	e := r.entry("Acme")
	j, free, gone, demoted := r.judge(), r.judge(), r.judge(), r.judge() // only j is assigned
	r.Assign(j, e)
	judgingtest.Must(0, r.RDB.Del(ctx, "awards:{jury}:user:"+gone.ID).Err())(t)
	rec := judgingtest.Must(r.RDB.Get(ctx, "awards:{jury}:user:"+demoted.ID).Bytes())(t)
	var u map[string]any
	judgingtest.Must(0, json.Unmarshal(rec, &u))(t)
	u["role"] = string(judging.RoleExhibitor)
	rec = judgingtest.Must(json.Marshal(u))(t)
	judgingtest.Must(0, r.RDB.Set(ctx, "awards:{jury}:user:"+demoted.ID, rec, 0).Err())(t)

	badMarks := judging.Invalidf("score_out_of_range", "scores.impact must be between 1 and 5")
	// breaking is judge's write to e with every check broken from the one named on (the
	// assignment is the judge's own).
	breaking := func(from string, judge judging.Actor) judging.ScoreWrite {
		w := r.write(judge, e, `{"comment":"","scores":{"impact":3,"innovation":5}}`, 50)
		breaks := []struct {
			check string
			f     func()
		}{
			{"entry", func() { w.EntryID = "e_nowhere" }},
			{"category", func() { w.CategoryID = judgingtest.CatCSR }},
			{"revision", func() { w.ProgrammeRev-- }},
			{"closed", func() { w.Closed = true }},
			{"marks", func() { w.Refusal = badMarks }},
		}
		on := false
		for _, b := range breaks {
			on = on || b.check == from
			if on {
				b.f()
			}
		}
		if !on {
			t.Fatalf("no check %q", from)
		}
		return w
	}
	tests := []struct {
		name string
		w    judging.ScoreWrite
		want error
	}{
		// A token whose user was deleted or whose role changed → 401, before anything else.
		{"ErrUnauthorized/deleted judge", breaking("entry", gone), judging.ErrUnauthorized},
		{"ErrUnauthorized/role changed", breaking("entry", demoted), judging.ErrUnauthorized},
		{"ErrNotFound", breaking("entry", free), judging.ErrNotFound},
		{"CategoryMismatch", breaking("category", free), &judging.CategoryMismatch{CategoryID: judgingtest.CatCyber}},
		{"ErrStale", breaking("revision", free), judging.ErrStale},
		{"ErrNotAssigned", breaking("closed", free), judging.ErrNotAssigned},
		{"ErrJudgingClosed", breaking("closed", j), judging.ErrJudgingClosed},
		{"Refusal", breaking("marks", j), badMarks},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := s.SaveScore(ctx, tt.w)
			wantSaveErr(t, err, tt.want)
		})
	}
	t.Run("ErrCategoryRevealed", func(t *testing.T) {
		judgingtest.Must(0, s.Reveal(ctx, judgingtest.CatCyber))(t)
		_, _, err := s.SaveScore(ctx, breaking("marks", j))
		wantSaveErr(t, err, judging.ErrCategoryRevealed)
	})
	if n := len(judgingtest.Must(s.Audit(ctx))(t)); n != 0 {
		t.Fatalf("refused writes left %d audit records", n)
	}
	if n := len(judgingtest.Must(s.CategoryScores(ctx, judgingtest.CatCyber))(t)); n != 0 {
		t.Fatalf("refused writes left %d counting scores", n)
	}
}

// wantSaveErr checks err is want: the same *judging.Error, or an equal *CategoryMismatch.
func wantSaveErr(tb testing.TB, err, want error) {
	tb.Helper()
	var je *judging.Error
	if errors.As(want, &je) {
		judgingtest.WantErr(tb, err, je)
		return
	}
	var got *judging.CategoryMismatch
	if !errors.As(err, &got) || !cmp.Equal(got, want) {
		tb.Fatalf("err = %v, want %v", err, want)
	}
}

func TestStore_SaveScore_events(t *testing.T) {
	// A changed score announces its events on the events channel, in the same JSON as Publish,
	// from inside the write; the same body again announces nothing.
	r := newRig(t)
	s, ctx := r.Store, r.Ctx
	e, j := r.entry("Acme"), r.judge()
	r.Assign(j, e)
	sub := r.RDB.Subscribe(ctx, s.EventsChannel())
	defer sub.Close()
	if _, err := sub.Receive(ctx); err != nil { // the subscription is confirmed
		t.Fatal(err)
	}
	events := []judging.Event{{Type: judging.EventTally, CategoryID: judgingtest.CatCyber}, {Type: judging.EventProgress, CategoryID: judgingtest.CatCyber}}
	write := func(body string) judging.ScoreWrite {
		w := r.write(j, e, body, 50)
		w.Events = events
		return w
	}
	first, second := `{"comment":"","scores":{"impact":3,"innovation":5}}`, `{"comment":"","scores":{"impact":4,"innovation":5}}`
	for _, body := range []string{first, first, second} {
		judgingtest.Must(save(s, ctx, write(body)))(t)
	}
	// The marker is published after the writes: every event before it came from them.
	marker := judging.Event{Type: judging.EventProgramme}
	judgingtest.Must(0, s.Publish(ctx, marker))(t)
	var got []judging.Event
	rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	for {
		msg := judgingtest.Must(sub.ReceiveMessage(rctx))(t)
		var ev judging.Event
		judgingtest.Must(0, json.Unmarshal([]byte(msg.Payload), &ev))(t)
		if ev == marker {
			break
		}
		got = append(got, ev)
	}
	want := append(append([]judging.Event(nil), events...), events...) // two changes, one repeat
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("events (-want +got):\n%s", diff)
	}
}

func TestService_concurrentScoring_cluster(t *testing.T) {
	// On Redis Cluster too, concurrent score writes (pipelined together) each run their one
	// atomic script: every change is one version and one audit record, and the chain verifies;
	// the events the scripts publish reach a subscriber.
	r := &rig{judgingtest.NewOn(t, redistest.Cluster(t))}
	es, js := r.jury(2, 8)
	r.Svc = r.NewService(t, func(d *judging.Deps) { d.Publisher = r.Store }) // the scripts publish
	sub := r.RDB.Subscribe(r.Ctx, r.Store.EventsChannel())
	defer sub.Close()
	if _, err := sub.Receive(r.Ctx); err != nil { // the subscription is confirmed
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for _, j := range js {
		wg.Go(func() {
			for i := range 10 {
				for _, e := range es {
					sc, err := r.Svc.SubmitScore(r.Ctx, j, e.ID, judgingtest.Cyber(float64(i%2), 3))
					if err != nil || sc.Version != i+1 {
						t.Errorf("judge %s entry %s round %d: version %d, %v; want %d", j.ID, e.ID, i, sc.Version, err, i+1)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	writes := len(js) * len(es) * 10
	got := judgingtest.Must(r.Svc.VerifyAudit(r.Ctx, r.Admin))(t)
	if !got.OK || got.Records != writes {
		t.Fatalf("VerifyAudit = %+v, want ok over %d records", got, writes)
	}
	ctx, cancel := context.WithTimeout(r.Ctx, 10*time.Second)
	defer cancel()
	for range 2 * writes { // tally and progress per change
		msg := judgingtest.Must(sub.ReceiveMessage(ctx))(t)
		var ev judging.Event
		judgingtest.Must(0, json.Unmarshal([]byte(msg.Payload), &ev))(t)
		if ev.CategoryID != judgingtest.CatCyber || (ev.Type != judging.EventTally && ev.Type != judging.EventProgress) {
			t.Fatalf("event %+v, want tally or progress of %s", ev, judgingtest.CatCyber)
		}
	}
}

func TestStore_SaveScore_answer(t *testing.T) {
	// The score a write answers is the version stored, to the millisecond of its time and the
	// last bit of its total, though the script answers only the version.
	r := newRig(t)
	s, ctx := r.Store, r.Ctx
	e, j := r.entry("Acme"), r.judge()
	r.Assign(j, e)
	for i, comment := range []string{"", `a "quoted" \ back\slash, été, 日本, ` + "\u2028 \t"} {
		body := judgingtest.Must(json.Marshal(map[string]any{"comment": comment, "scores": map[string]float64{"impact": 1.0000000000000002, "innovation": 3}}))(t)
		w := r.write(j, e, string(body), 66.66666666666667+float64(i))
		w.At = judgingtest.T0.Add(time.Duration(i)*time.Hour + 123456789*time.Nanosecond).In(time.FixedZone("CET", 3600))
		got, changed := judgingtest.Must2(s.SaveScore(ctx, w))(t)
		if !changed {
			t.Fatalf("write %d: not changed", i)
		}
		hist := judgingtest.Must(s.ScoreHistory(ctx, e.ID))(t)[j.ID]
		if diff := cmp.Diff(hist[len(hist)-1], got); diff != "" {
			t.Fatalf("write %d: answer (-stored +answered):\n%s", i, diff)
		}
	}
}
