package redisstore_test

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/awards-dev/awards/judging"
	"github.com/awards-dev/awards/judging/judgingtest"
)

func TestStore_Freeze(t *testing.T) {
	// The first reveal (whole or step) freezes the category: the store refuses a score, a
	// withdrawal, an assignment or a submitted entry in it, atomically, and writes nothing.
	for _, how := range []string{"whole", "step", "freeze only"} {
		t.Run(how, func(t *testing.T) {
			r := newRig(t)
			s, ctx := r.Store, r.Ctx
			e, other := r.entry("Acme"), r.entry("Beta")
			j, j2 := r.judge(), r.judge()
			r.Assign(j, e, other)
			body := `{"comment":"","scores":{"impact":3,"innovation":5}}`
			judgingtest.Must(save(s, ctx, r.write(j, e, body, 50)))(t)
			ex := judgingtest.Must(r.Svc.Register(ctx, judging.Registration{Email: "late@awards.test", Password: "correct horse battery", Company: "Late", Country: "FR"}, ""))(t)
			draft := judgingtest.Must(r.Svc.CreateEntry(ctx, judging.Actor{ID: ex.ID, Role: judging.RoleExhibitor}, judging.EntryInput{CategoryID: judgingtest.CatCyber, Title: "Late"}))(t)
			switch how {
			case "whole":
				judgingtest.Must(0, s.Reveal(ctx, judgingtest.CatCyber))(t)
			case "step":
				judgingtest.Must(s.RevealStep(ctx, judgingtest.CatCyber, 2))(t)
			default: // a step reveal interrupted between its freeze and its first place
				judgingtest.Must(0, s.Freeze(ctx, judgingtest.CatCyber))(t)
			}
			auditBefore, asgBefore := judgingtest.Must(s.Audit(ctx))(t), judgingtest.Must(s.Assignments(ctx))(t)

			_, err := save(s, ctx, r.write(j, e, `{"comment":"","scores":{"impact":1,"innovation":1}}`, 10))
			judgingtest.WantErr(t, err, judging.ErrCategoryRevealed)
			_, err = save(s, ctx, r.write(j, e, body, 50))
			judgingtest.WantErr(t, err, judging.ErrCategoryRevealed) // the same body too
			_, err = save(s, ctx, r.write(j, other, body, 50))
			judgingtest.WantErr(t, err, judging.ErrCategoryRevealed) // a first score too
			for _, recuse := range []bool{false, true} {
				ca := judging.CategoryAssignment{Assignment: judging.Assignment{JudgeID: j.ID, EntryID: e.ID}, CategoryID: judgingtest.CatCyber}
				_, err = s.Withdraw(ctx, judging.Withdrawal{CategoryAssignment: ca, Recuse: recuse, By: r.Admin.ID, At: judgingtest.T0})
				judgingtest.WantErr(t, err, judging.ErrCategoryRevealed)
			}
			// A batch with one frozen pair adds none of them.
			_, err = s.Assign(ctx, []judging.CategoryAssignment{
				{Assignment: judging.Assignment{JudgeID: j2.ID, EntryID: "e_elsewhere"}, CategoryID: judgingtest.CatCSR},
				{Assignment: judging.Assignment{JudgeID: j2.ID, EntryID: e.ID}, CategoryID: judgingtest.CatCyber},
			})
			judgingtest.WantErr(t, err, judging.ErrCategoryRevealed)
			_, err = s.SubmitEntry(ctx, draft.ID, judgingtest.T0)
			judgingtest.WantErr(t, err, judging.ErrCategoryRevealed)

			if diff := cmp.Diff(auditBefore, judgingtest.Must(s.Audit(ctx))(t)); diff != "" {
				t.Fatalf("the audit trail changed (-before +after):\n%s", diff)
			}
			if diff := cmp.Diff(asgBefore, judgingtest.Must(s.Assignments(ctx))(t)); diff != "" {
				t.Fatalf("the assignments changed (-before +after):\n%s", diff)
			}
			if got := judgingtest.Must(s.Entry(ctx, draft.ID))(t).Status; got != judging.StatusDraft {
				t.Fatalf("the draft is %q, want draft", got)
			}

			// Another category is untouched.
			if n := judgingtest.Must(s.Assign(ctx, []judging.CategoryAssignment{{Assignment: judging.Assignment{JudgeID: j2.ID, EntryID: "e_elsewhere"}, CategoryID: judgingtest.CatCSR}}))(t); n != 1 {
				t.Fatalf("assigned %d in an open category, want 1", n)
			}
		})
	}
}

func TestService_concurrentScoreAndReveal(t *testing.T) {
	// A score racing a reveal is either counted before the freeze or refused, never after:
	// every acknowledged score counts, and nothing changes once the reveal has answered.
	for _, step := range []bool{false, true} {
		t.Run(fmt.Sprintf("step=%v", step), func(t *testing.T) {
			const judges, entries = 6, 4
			r := newRig(t)
			ctx := r.Ctx
			es, js := r.jury(entries, judges)
			type key struct{ judge, entry string }
			var (
				mu    sync.Mutex
				acked = map[key]judging.Score{} // the last score each call acknowledged
				wg    sync.WaitGroup
			)
			first := make(chan struct{}, judges)
			errs := make(chan error, judges)
			var revealed atomic.Bool
			for i, j := range js {
				wg.Go(func() {
					after := 0 // calls sent once the reveal had answered
					for n := 0; ; n++ {
						if revealed.Load() {
							if after++; after > 10 {
								errs <- errors.New("scores are still accepted after the reveal answered")
								return
							}
						}
						e := es[n%entries]
						sc, err := r.Svc.SubmitScore(ctx, j, e.ID, judgingtest.Cyber(float64((i+n)%11), float64(1+n%5)))
						if errors.Is(err, judging.ErrCategoryRevealed) {
							errs <- nil
							return
						}
						if err != nil {
							errs <- err
							return
						}
						mu.Lock()
						acked[key{j.ID, e.ID}] = sc
						mu.Unlock()
						if n == entries {
							first <- struct{}{}
						}
					}
				})
			}
			for range judges {
				<-first // every judge has scored every entry at least once, and goes on
			}
			rr := judgingtest.Must(r.Svc.Reveal(ctx, r.Admin, judgingtest.CatCyber, step))(t)
			revealed.Store(true)
			atReveal := judgingtest.Must(r.Store.CategoryScores(ctx, judgingtest.CatCyber))(t)
			publicAtReveal := judgingtest.Must(r.Svc.Results(ctx, judging.Actor{}))(t)
			wg.Wait()
			for range judges {
				if err := <-errs; err != nil {
					t.Fatalf("a judge's score failed otherwise than category_revealed: %v", err)
				}
			}

			after := judgingtest.Must(r.Store.CategoryScores(ctx, judgingtest.CatCyber))(t)
			judgingtest.SortScores(atReveal)
			judgingtest.SortScores(after)
			if diff := cmp.Diff(atReveal, after); diff != "" {
				t.Fatalf("counting scores changed after the reveal answered (-at reveal +after):\n%s", diff)
			}
			if diff := cmp.Diff(publicAtReveal, judgingtest.Must(r.Svc.Results(ctx, judging.Actor{}))(t)); diff != "" {
				t.Fatalf("the public results changed after the reveal answered (-at reveal +after):\n%s", diff)
			}
			if got, want := len(after), judges*entries; got != want {
				t.Fatalf("%d counting scores, want %d", got, want)
			}
			for _, sc := range after {
				if diff := cmp.Diff(acked[key{sc.JudgeID, sc.EntryID}], sc); diff != "" {
					t.Fatalf("the counting score of %s/%s is not the last one acknowledged (-acknowledged +counting):\n%s", sc.JudgeID, sc.EntryID, diff)
				}
			}
			// The places the reveal counted are those of the frozen ranking.
			full := judgingtest.Must(r.Svc.Results(ctx, r.Admin))(t).Categories[0].Ranking
			if got, want := rr.Places, len(judging.Places(full)); got != want {
				t.Fatalf("the reveal counted %d places, the frozen ranking has %d", got, want)
			}
			if res := judgingtest.Must(r.Svc.VerifyAudit(ctx, r.Admin))(t); !res.OK {
				t.Fatalf("audit verify = %+v", res)
			}
		})
	}
}
