package redisstore_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/awards-dev/awards/judging"
	"github.com/awards-dev/awards/judging/judgingtest"
)

// judgeRun is what one judge's goroutine saw: per entry, the last version the service
// returned and the last body sent, and how many calls changed a score.
type judgeRun struct {
	version map[string]int
	body    map[string]judging.ScoreInput
	refused map[string]bool // ErrNotAssigned seen: the judge recused meanwhile
	changes int
}

func TestService_concurrentScoring(t *testing.T) {
	// Store: checks and writes are one atomic step, so concurrent calls never lose or double-count.
	// Many judges score and rescore the same entries at once, while some recuse.
	const (
		judges  = 16
		entries = 6
		rounds  = 30
	)
	r := newRig(t)
	ctx := r.Ctx
	es, js := r.jury(entries, judges)
	// Judge i < 4 recuses from entry i, from another goroutine, once they have scored it (or
	// finished), while they may still be scoring it.
	recusals := map[judging.Assignment]bool{}
	scored := map[judging.Assignment]func(){}
	ready := map[judging.Assignment]chan struct{}{}
	for i := range 4 {
		pair := judging.Assignment{JudgeID: js[i].ID, EntryID: es[i].ID}
		recusals[pair] = true
		ready[pair] = make(chan struct{})
		scored[pair] = sync.OnceFunc(func() { close(ready[pair]) })
	}

	start := make(chan struct{})
	runs := make([]judgeRun, judges)
	var wg sync.WaitGroup
	for i, j := range js {
		wg.Go(func() {
			rnd := rand.New(rand.NewPCG(uint64(i), 2026))
			run := judgeRun{version: map[string]int{}, body: map[string]judging.ScoreInput{}, refused: map[string]bool{}}
			defer func() {
				for _, e := range es {
					if f := scored[judging.Assignment{JudgeID: j.ID, EntryID: e.ID}]; f != nil {
						f()
					}
				}
			}()
			<-start
			for range rounds {
				e := es[rnd.IntN(len(es))]
				in := judgingtest.Cyber(float64(rnd.IntN(3))*5, float64(1+rnd.IntN(2))) // 6 bodies: repeats are common
				sc, err := r.Svc.SubmitScore(ctx, j, e.ID, in)
				pair := judging.Assignment{JudgeID: j.ID, EntryID: e.ID}
				switch {
				case errors.Is(err, judging.ErrNotAssigned) && recusals[pair]:
					run.refused[e.ID] = true
					continue
				case err != nil:
					t.Errorf("judge %d, entry %s: SubmitScore: %v", i, e.ID, err)
					return
				case run.refused[e.ID]:
					t.Errorf("judge %d scored entry %s after being refused for recusal", i, e.ID)
				}
				last, seen := run.version[e.ID], run.body[e.ID]
				want := last + 1
				if last > 0 && cmp.Equal(seen, in) {
					want = last // the same body changes nothing
				}
				if sc.Version != want {
					t.Errorf("judge %d, entry %s: version %d after %d, want %d", i, e.ID, sc.Version, last, want)
				}
				if sc.Version > last {
					run.changes++
				}
				run.version[e.ID], run.body[e.ID] = sc.Version, in
				if f := scored[pair]; f != nil {
					f()
				}
			}
			runs[i] = run
		})
	}
	for pair := range recusals {
		wg.Go(func() {
			<-ready[pair]
			if err := r.Svc.Recuse(ctx, judging.Actor{ID: pair.JudgeID, Role: judging.RoleJudge}, pair.EntryID); err != nil {
				t.Errorf("Recuse %v: %v", pair, err)
			}
		})
	}
	close(start)
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}

	counting := judgingtest.Must(r.Store.CategoryScores(ctx, judgingtest.CatCyber))(t)
	judgingtest.SortScores(counting)
	recs := judgingtest.Must(r.Store.Audit(ctx))(t)

	t.Run("the tally state equals the replay of the audit stream", func(t *testing.T) {
		if diff := cmp.Diff(judgingtest.Replay(t, recs), counting, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("counting scores (-replay +store):\n%s", diff)
		}
	})

	t.Run("every score's version is the number of its history entries", func(t *testing.T) {
		cur := map[[2]string]judging.Score{}
		for _, sc := range counting {
			cur[[2]string{sc.EntryID, sc.JudgeID}] = sc
		}
		for _, e := range es {
			hist := judgingtest.Must(r.Store.ScoreHistory(ctx, e.ID))(t)
			for i, j := range js {
				h := hist[j.ID]
				for k, sc := range h {
					if sc.Version != k+1 {
						t.Fatalf("entry %s judge %d: history[%d] is version %d", e.ID, i, k, sc.Version)
					}
				}
				if got, want := len(h), runs[i].version[e.ID]; got != want {
					t.Fatalf("entry %s judge %d: %d history entries, the last version returned was %d", e.ID, i, got, want)
				}
				sc, ok := cur[[2]string{e.ID, j.ID}]
				if ok && sc.Version != len(h) {
					t.Fatalf("entry %s judge %d: counting version %d of %d", e.ID, i, sc.Version, len(h))
				}
				switch recused := recusals[judging.Assignment{JudgeID: j.ID, EntryID: e.ID}]; {
				case recused && ok:
					t.Fatalf("entry %s judge %d: a recused judge's score counts", e.ID, i)
				case !recused && len(h) > 0 && !ok:
					t.Fatalf("entry %s judge %d: an assigned judge's score stopped counting", e.ID, i)
				}
			}
		}
	})

	t.Run("the audit chain verifies, one record per change", func(t *testing.T) {
		want, withdrawn := 0, 0
		for _, run := range runs {
			want += run.changes
		}
		for pair := range recusals {
			if len(judgingtest.Must(r.Store.ScoreHistory(ctx, pair.EntryID))(t)[pair.JudgeID]) > 0 {
				want++ // a counting score was withdrawn
				withdrawn++
			}
		}
		got := judgingtest.Must(r.Svc.VerifyAudit(ctx, r.Admin))(t)
		t.Logf("%d audit records, %d of them withdrawals", got.Records, got.Records-(want-withdrawn))
		if !got.OK || got.Records != want || got.Records != len(recs) {
			t.Fatalf("VerifyAudit = %+v, want ok over %d records (%d read)", got, want, len(recs))
		}
	})

	t.Run("no score counted twice", func(t *testing.T) {
		seen := map[[2]string]bool{}
		perEntry := map[string]int{}
		for _, sc := range counting {
			k := [2]string{sc.EntryID, sc.JudgeID}
			if seen[k] {
				t.Fatalf("entry %s judge %s counted twice", sc.EntryID, sc.JudgeID)
			}
			seen[k] = true
			perEntry[sc.EntryID]++
			if ok := judgingtest.Must(r.Store.Assigned(ctx, sc.EntryID, sc.JudgeID))(t); !ok {
				t.Fatalf("entry %s judge %s counts without an assignment", sc.EntryID, sc.JudgeID)
			}
		}
		p := judgingtest.Must(r.Svc.Progress(ctx, judgingtest.CatCyber))(t)
		if p.Scored != len(counting) || p.Expected != judges*entries-len(recusals) {
			t.Fatalf("progress = %+v, want %d scored of %d", p, len(counting), judges*entries-len(recusals))
		}
		res := judgingtest.Must(r.Svc.Results(ctx, r.Admin))(t)
		for _, row := range res.Categories[0].Ranking {
			if got, want := row.Judges, perEntry[row.EntryID]; got != want {
				t.Fatalf("entry %s ranked from %d judges, %d scores count", row.EntryID, got, want)
			}
		}
	})
}

func TestService_concurrentProgrammeChange(t *testing.T) {
	// A criteria change racing the first scores either lands first, and every score is totalled
	// with it, or is refused with criteria_frozen: a total never mixes the two programmes.
	for round := range 3 {
		t.Run(fmt.Sprintf("round %d", round), func(t *testing.T) {
			r := newRig(t)
			ctx := r.Ctx
			es := []judging.Entry{r.entry("A"), r.entry("B"), r.entry("C")}
			var js []judging.Actor
			for range 6 {
				j := r.judge()
				r.Assign(j, es...)
				js = append(js, j)
			}
			changed := judgingtest.Programme()
			changed.Categories[0].Criteria[0].Weight = 1 // innovation ×3 → ×1

			start := make(chan struct{})
			var wg sync.WaitGroup
			var putErr error
			wg.Go(func() {
				<-start
				_, putErr = r.Svc.PutProgramme(ctx, r.Admin, changed)
			})
			for i, j := range js {
				wg.Go(func() {
					<-start
					for k, e := range es {
						if _, err := r.Svc.SubmitScore(ctx, j, e.ID, judgingtest.Cyber(float64(i+k), 2)); err != nil {
							t.Errorf("SubmitScore: %v", err)
						}
					}
				})
			}
			close(start)
			wg.Wait()
			t.Logf("PutProgramme racing the first scores: %v", putErr)
			if putErr != nil && !errors.Is(putErr, judging.ErrCriteriaFrozen) {
				t.Fatalf("PutProgramme: %v", putErr)
			}
			p := judgingtest.Must(r.Svc.Programme(ctx))(t)
			want := judgingtest.Programme().Categories[0].Criteria
			if putErr == nil {
				want = changed.Categories[0].Criteria
			}
			if diff := cmp.Diff(want, p.Categories[0].Criteria); diff != "" {
				t.Fatalf("criteria after the race (PutProgramme: %v) (-want +got):\n%s", putErr, diff)
			}
			scores := judgingtest.Must(r.Store.CategoryScores(ctx, judgingtest.CatCyber))(t)
			if got, want := len(scores), len(js)*len(es); got != want {
				t.Fatalf("%d scores, want %d", got, want)
			}
			for _, sc := range scores {
				if got, want := sc.Total, judging.WeightedTotal(want, sc.Scores); got != want {
					t.Fatalf("score %v totalled %v, the stored criteria give %v", sc.Scores, got, want)
				}
			}
		})
	}
}

func TestService_concurrentRegister(t *testing.T) {
	// Duplicate email → 409: of many registrations racing for one email, exactly one wins.
	r := newRig(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	won, taken := 0, 0
	for i := range 12 {
		wg.Go(func() {
			_, err := r.Svc.Register(r.Ctx, judging.Registration{Email: []string{"race@example.com", "RACE@example.com", " Race@Example.COM "}[i%3],
				Password: "correct horse battery", Company: fmt.Sprintf("Co %d", i), Country: "FR"}, "")
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				won++
			case errors.Is(err, judging.ErrEmailTaken):
				taken++
			default:
				t.Errorf("Register: %v", err)
			}
		})
	}
	wg.Wait()
	if won != 1 || taken != 11 {
		t.Fatalf("%d registrations won, %d refused; want 1 and 11", won, taken)
	}
}
