package judging_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/awards-dev/awards/judging"
)

func ptr(f float64) *float64 { return &f }

func decodeAudit(tb testing.TB, r judging.AuditRecord) judging.AuditEvent {
	tb.Helper()
	var ev judging.AuditEvent
	if err := json.Unmarshal([]byte(r.Payload), &ev); err != nil {
		tb.Fatalf("audit record %s: %v", r.ID, err)
	}
	return ev
}

// resultsFixture is a cyber-security category of four entries: two tied first, one third,
// one unscored; plus a draft that is never ranked.
type resultsFixture struct {
	h                            *harness
	alpha, bravo, charlie, delta judging.Entry
	j1, j2                       judging.Actor
}

func newResultsFixture(t *testing.T) resultsFixture {
	h := newService(t)
	f := resultsFixture{h: h,
		alpha:   h.entry(h.exhibitor("Alpha Co"), catCyber, "Alpha"),
		bravo:   h.entry(h.exhibitor("Bravo Co"), catCyber, "Bravo"),
		charlie: h.entry(h.exhibitor("Charlie Co"), catCyber, "Charlie"),
		delta:   h.entry(h.exhibitor("Delta Co"), catCyber, "Delta"),
		j1:      h.judge([]string{catCyber}),
		j2:      h.judge([]string{catCyber}),
	}
	h.draft(h.exhibitor("Echo Co"), catCyber, "Echo draft")
	for _, j := range []judging.Actor{f.j1, f.j2} {
		h.assign(j, f.alpha, f.bravo, f.charlie, f.delta)
	}
	h.score(f.j1, f.alpha, cyber(10, 1))    // 75
	h.score(f.j2, f.alpha, cyber(10, 1))    // 75 → 75
	h.score(f.j1, f.bravo, cyber(5, 3))     // 50
	h.score(f.j2, f.bravo, cyber(10, 5))    // 100 → 75
	h.score(f.j1, f.charlie, cyber(2.5, 2)) // 25
	h.score(f.j2, f.charlie, cyber(5, 3))   // 50 → 37.5
	h.pub.take()
	return f
}

// ranking is the cyber-security ranking of the fixture.
func (f resultsFixture) ranking() []judging.ResultRow {
	return []judging.ResultRow{
		{Rank: 1, EntryID: f.alpha.ID, Title: "Alpha", Company: "Alpha Co", Score: ptr(75), Judges: 2, Tie: true},
		{Rank: 1, EntryID: f.bravo.ID, Title: "Bravo", Company: "Bravo Co", Score: ptr(75), Judges: 2, Tie: true},
		{Rank: 3, EntryID: f.charlie.ID, Title: "Charlie", Company: "Charlie Co", Score: ptr(37.5), Judges: 2},
		{EntryID: f.delta.ID, Title: "Delta", Company: "Delta Co"},
	}
}

// sealed is what a non-admin sees of the fixture's categories before any reveal.
func sealed() []judging.CategoryResults {
	var out []judging.CategoryResults
	for _, c := range fixture().Categories {
		out = append(out, judging.CategoryResults{ID: c.ID, Name: c.Name})
	}
	return out
}

// others are the callers who are not admins.
func (f resultsFixture) others(t *testing.T) map[string]judging.Actor {
	screen := must(f.h.svc.CreateScreen(f.h.ctx, f.h.admin, "Main stage"))(t)
	return map[string]judging.Actor{
		"judge":     f.j1,
		"exhibitor": f.h.exhibitor("Foxtrot"),
		"screen":    {ID: screen.ID, Role: judging.RoleScreen},
		"voter":     {ID: "v_badge", Role: judging.RoleVoter},
		"public":    {},
	}
}

func TestService_Results(t *testing.T) {
	f := newResultsFixture(t)
	h := f.h

	t.Run("admin sees every category at any time, with the normalised ranking", func(t *testing.T) {
		// Admin: every category at any time; each category also carries normalised.
		h := h.on(t)
		res := must(h.svc.Results(h.ctx, h.admin))(t)
		if got, want := len(res.Categories), 3; got != want {
			t.Fatalf("%d categories, want %d", got, want)
		}
		if diff := cmp.Diff(f.ranking(), res.Categories[0].Ranking); diff != "" {
			t.Fatalf("cyber-security ranking (-want +got):\n%s", diff)
		}
		for _, c := range res.Categories {
			if c.Revealed {
				t.Errorf("%s: revealed before any reveal", c.ID)
			}
			if c.Normalised == nil {
				t.Errorf("%s: no normalised ranking for the admin", c.ID)
			}
			if c.Ranking == nil {
				t.Errorf("%s: no ranking for the admin", c.ID)
			}
		}
	})

	t.Run("ranks: 1 + the number of entries strictly higher; tied rows carry tie", func(t *testing.T) {
		// rank = 1 + the number of entries with a strictly higher score (so 1, 1, 3); tied rows carry "tie": true.
		h := h.on(t)
		rows := must(h.svc.Results(h.ctx, h.admin))(t).Categories[0].Ranking
		var ranks []int
		var ties []bool
		for _, r := range rows {
			ranks, ties = append(ranks, r.Rank), append(ties, r.Tie)
		}
		if diff := cmp.Diff([]int{1, 1, 3, 0}, ranks); diff != "" {
			t.Fatalf("ranks (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]bool{true, true, false, false}, ties); diff != "" {
			t.Fatalf("ties (-want +got):\n%s", diff)
		}
	})

	t.Run("entries with no score are listed last with score null and no rank", func(t *testing.T) {
		h := h.on(t)
		rows := must(h.svc.Results(h.ctx, h.admin))(t).Categories[0].Ranking
		last := rows[len(rows)-1]
		if last.EntryID != f.delta.ID || last.Score != nil || last.Rank != 0 || last.Judges != 0 {
			t.Fatalf("last row = %+v, want the unscored entry with no score, rank or judges", last)
		}
	})

	others := f.others(t)
	t.Run("others see only revealed categories", func(t *testing.T) {
		// Every other role and the public: unrevealed categories appear with revealed: false and no ranking.
		h := h.on(t)
		for name, a := range others {
			res := must(h.svc.Results(h.ctx, a))(t)
			if diff := cmp.Diff(sealed(), res.Categories); diff != "" {
				t.Fatalf("%s sees (-want +got):\n%s", name, diff)
			}
		}
	})

	t.Run("a reveal shows the whole category to everyone", func(t *testing.T) {
		// POST /ceremony/reveal {category_id} → the whole category is revealed: its 3 places
		// (a place is one rank; the unscored entries are the last).
		h := h.on(t)
		rr := must(h.svc.Reveal(h.ctx, h.admin, catCyber, false))(t)
		if diff := cmp.Diff(judging.RevealResult{CategoryID: catCyber, Revealed: true, PlacesShown: 3, Places: 3}, rr); diff != "" {
			t.Fatalf("reveal (-want +got):\n%s", diff)
		}
		h.wantEvents(judging.Event{Type: judging.EventReveal, CategoryID: catCyber})
		want := sealed()
		want[0].Revealed, want[0].Ranking = true, f.ranking()
		for name, a := range others {
			res := must(h.svc.Results(h.ctx, a))(t)
			if diff := cmp.Diff(want, res.Categories); diff != "" {
				t.Fatalf("%s sees (-want +got):\n%s", name, diff)
			}
		}
		if got := must(h.svc.Results(h.ctx, h.admin))(t).Categories[0]; !got.Revealed || got.Normalised == nil {
			t.Fatalf("admin: revealed %v normalised %v", got.Revealed, got.Normalised)
		}
		cer := must(h.svc.Ceremony(h.ctx))(t)
		if diff := cmp.Diff([]string{catCyber}, cer.Revealed); diff != "" {
			t.Fatalf("ceremony revealed (-want +got):\n%s", diff)
		}
	})

	t.Run("ErrForbidden", func(t *testing.T) {
		// POST /ceremony/reveal is for admins.
		h := h.on(t)
		_, err := h.svc.Reveal(h.ctx, f.j1, catDrones, false)
		wantErr(t, err, judging.ErrForbidden)
	})

	t.Run("ErrUnknownCategory", func(t *testing.T) {
		h := h.on(t)
		_, err := h.svc.Reveal(h.ctx, h.admin, "cooking", false)
		wantErr(t, err, judging.ErrUnknownCategory)
	})
}

func TestService_Reveal_step(t *testing.T) {
	// {category_id, step: true}: one more place per call, from last place to the winner; until the
	// last step the category is not in revealed, and non-admins see only the rows shown so far.
	// A place is one rank: the fixture's places are the unscored delta, charlie, then alpha
	// and bravo tied first, shown together.
	f := newResultsFixture(t)
	h := f.h
	full := f.ranking()
	rowsShown := []int{1, 2, 4} // rows shown after each step
	places := len(rowsShown)
	public := judging.Actor{}
	ceremonyAt := fixture().CeremonyAt
	for k := 1; k <= places+1; k++ {
		shown := min(k, places)
		done := shown == places
		t.Run(fmt.Sprintf("step %d", k), func(t *testing.T) {
			h := h.on(t)
			rr := must(h.svc.Reveal(h.ctx, h.admin, catCyber, true))(t)
			if diff := cmp.Diff(judging.RevealResult{CategoryID: catCyber, Revealed: done, PlacesShown: shown, Places: places}, rr); diff != "" {
				t.Fatalf("reveal (-want +got):\n%s", diff)
			}
			h.wantEvents(judging.Event{Type: judging.EventReveal, CategoryID: catCyber})

			want := sealed()
			want[0].Revealed, want[0].Ranking = done, full[len(full)-rowsShown[shown-1]:]
			if !done {
				want[0].PlacesShown = shown
			}
			if diff := cmp.Diff(want, must(h.svc.Results(h.ctx, public))(t).Categories); diff != "" {
				t.Fatalf("the public sees (-want +got):\n%s", diff)
			}

			admin := must(h.svc.Results(h.ctx, h.admin))(t).Categories[0]
			if diff := cmp.Diff(full, admin.Ranking); diff != "" {
				t.Fatalf("the admin sees (-want +got):\n%s", diff)
			}

			cer := must(h.svc.Ceremony(h.ctx))(t)
			wantCer := judging.CeremonyState{Revealed: []string{}, Partial: map[string]int{catCyber: shown}, CeremonyAt: &ceremonyAt}
			if done {
				wantCer.Revealed, wantCer.Partial = []string{catCyber}, map[string]int{}
			}
			if diff := cmp.Diff(wantCer, cer); diff != "" {
				t.Fatalf("ceremony (-want +got):\n%s", diff)
			}
		})
	}
}

func TestService_Reveal_stepByRank(t *testing.T) {
	// A place is one rank, shown from the bottom: entries sharing a rank appear together in one
	// step; places_shown and places count places, and so does GET /ceremony's partial.
	h := newService(t)
	j := h.judge([]string{catCSR, catDrones})
	csr := func(commitment float64) judging.ScoreInput {
		return judging.ScoreInput{Scores: map[string]float64{"commitment": commitment}}
	}
	scored := func(cat, title string, in judging.ScoreInput) judging.Entry {
		e := h.entry(h.exhibitor(title+" Co"), cat, title)
		h.assign(j, e)
		h.score(j, e, in)
		return e
	}
	top := scored(catCSR, "Alpha", csr(5))
	mid1, mid2, mid3 := scored(catCSR, "Bravo", csr(3)), scored(catCSR, "Charlie", csr(3)), scored(catCSR, "Delta", csr(3))
	low := scored(catCSR, "Echo", csr(1))
	scored(catDrones, "Kilo", drones(50, 3))
	scored(catDrones, "Lima", drones(50, 3))
	public := judging.Actor{}
	shownIDs := func(t *testing.T, cat string) []string {
		t.Helper()
		for _, c := range must(h.svc.Results(h.ctx, public))(t).Categories {
			if c.ID == cat {
				var ids []string
				for _, r := range c.Ranking {
					ids = append(ids, r.EntryID)
				}
				return ids
			}
		}
		t.Fatalf("no category %s", cat)
		return nil
	}

	t.Run("a three-way tie in the middle is one step", func(t *testing.T) {
		h := h.on(t)
		for i, want := range [][]string{
			{low.ID},
			{mid1.ID, mid2.ID, mid3.ID, low.ID},
			{top.ID, mid1.ID, mid2.ID, mid3.ID, low.ID},
		} {
			shown := i + 1
			rr := must(h.svc.Reveal(h.ctx, h.admin, catCSR, true))(t)
			if diff := cmp.Diff(judging.RevealResult{CategoryID: catCSR, Revealed: shown == 3, PlacesShown: shown, Places: 3}, rr); diff != "" {
				t.Fatalf("step %d (-want +got):\n%s", shown, diff)
			}
			if diff := cmp.Diff(want, shownIDs(t, catCSR)); diff != "" {
				t.Fatalf("step %d: the public sees (-want +got):\n%s", shown, diff)
			}
			if got, want := must(h.svc.Ceremony(h.ctx))(t).Partial[catCSR], shown%3; got != want {
				t.Fatalf("step %d: GET /ceremony partial = %d, want %d", shown, got, want)
			}
		}
	})

	t.Run("an all-tied category is revealed in one step", func(t *testing.T) {
		h := h.on(t)
		rr := must(h.svc.Reveal(h.ctx, h.admin, catDrones, true))(t)
		if diff := cmp.Diff(judging.RevealResult{CategoryID: catDrones, Revealed: true, PlacesShown: 1, Places: 1}, rr); diff != "" {
			t.Fatalf("reveal (-want +got):\n%s", diff)
		}
		if got := len(shownIDs(t, catDrones)); got != 2 {
			t.Fatalf("the public sees %d rows, want both tied entries", got)
		}
	})

	t.Run("an empty category is revealed in one step", func(t *testing.T) {
		h := h.on(t)
		rr := must(h.svc.Reveal(h.ctx, h.admin, catCyber, true))(t)
		if diff := cmp.Diff(judging.RevealResult{CategoryID: catCyber, Revealed: true}, rr); diff != "" {
			t.Fatalf("reveal (-want +got):\n%s", diff)
		}
	})
}

// readSpy is the real store, recording which categories' entries a use case reads.
type readSpy struct {
	judging.Store
	mu     sync.Mutex
	refs   []string // categories read through EntryRefs
	listed int      // calls to Entries, which read whole entries
}

func (s *readSpy) EntryRefs(ctx context.Context, categoryID string) ([]judging.EntryRef, error) {
	s.mu.Lock()
	s.refs = append(s.refs, categoryID)
	s.mu.Unlock()
	return s.Store.EntryRefs(ctx, categoryID)
}

func (s *readSpy) Entries(ctx context.Context, scope judging.EntryScope) ([]judging.Entry, error) {
	s.mu.Lock()
	s.listed++
	s.mu.Unlock()
	return s.Store.Entries(ctx, scope)
}

func (s *readSpy) take() (refs []string, listed int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	refs, listed = s.refs, s.listed
	s.refs, s.listed = nil, 0
	return refs, listed
}

func TestService_Results_reads(t *testing.T) {
	// Public results read only the categories the caller may see, and of them only what a
	// ranking shows of the submitted entries: never whole entries, drafts included (entry spam
	// slowed the public results). Admins may read every category.
	f := newResultsFixture(t)
	h := f.h
	h.entry(h.exhibitor("Golf Co"), catCSR, "Golf") // a sealed category with an entry
	spy := &readSpy{Store: h.store}
	svc := must(judging.NewService(judging.Deps{Store: spy, Clock: h.clock, Hasher: cheapHasher, Logger: slog.New(slog.DiscardHandler)}))(t)

	must(svc.Results(h.ctx, judging.Actor{}))(t)
	if refs, listed := spy.take(); len(refs) != 0 || listed != 0 {
		t.Fatalf("nothing revealed: the public's results read entries of %v and listed entries %d times", refs, listed)
	}
	must(svc.Reveal(h.ctx, h.admin, catCyber, true))(t)
	spy.take()
	for name, a := range f.others(t) {
		must(svc.Results(h.ctx, a))(t)
		refs, listed := spy.take()
		if diff := cmp.Diff([]string{catCyber}, refs); diff != "" || listed != 0 {
			t.Fatalf("%s: results read the entries of (-want +got):\n%s\nand listed whole entries %d times, want 0", name, diff, listed)
		}
	}
	must(svc.Results(h.ctx, h.admin))(t)
	if refs, listed := spy.take(); !cmp.Equal(refs, []string{catCyber, catDrones, catCSR}) || listed != 0 {
		t.Fatalf("admin: results read the entries of %v and listed entries %d times; want every category, through EntryRefs", refs, listed)
	}
}

func TestService_Reveal_interruptedStep(t *testing.T) {
	// A step reveal freezes the category before it counts places; if it stops there, the
	// category is frozen but nothing is shown: GET /ceremony lists no partial place, the
	// public sees no ranking, and the next step shows the first place.
	f := newResultsFixture(t)
	h := f.h
	must(0, h.store.Freeze(h.ctx, catCyber))(t)
	_, err := h.svc.SubmitScore(h.ctx, f.j1, f.delta.ID, cyber(1, 1))
	wantErr(t, err, judging.ErrCategoryRevealed)
	if cer := must(h.svc.Ceremony(h.ctx))(t); len(cer.Partial) != 0 || len(cer.Revealed) != 0 {
		t.Fatalf("ceremony = %+v, want nothing revealed", cer)
	}
	if diff := cmp.Diff(sealed(), must(h.svc.Results(h.ctx, judging.Actor{}))(t).Categories); diff != "" {
		t.Fatalf("the public sees (-want +got):\n%s", diff)
	}
	rr := must(h.svc.Reveal(h.ctx, h.admin, catCyber, true))(t)
	if diff := cmp.Diff(judging.RevealResult{CategoryID: catCyber, PlacesShown: 1, Places: 3}, rr); diff != "" {
		t.Fatalf("the next step (-want +got):\n%s", diff)
	}
}

func TestService_Results_trimmedMean(t *testing.T) {
	// "tally": "trimmed_mean": drop one highest and one lowest when at least 5 judges scored.
	h := newService(t)
	hover := h.entry(h.exhibitor("Hover Co"), catDrones, "Hover")
	crawler := h.entry(h.exhibitor("Crawler Co"), catDrones, "Crawler")
	var js []judging.Actor
	for range 5 {
		js = append(js, h.judge([]string{catDrones}))
	}
	// design on 0–100 with safety at its min: the total is design / 2.
	for i, d := range []float64{0, 20, 40, 60, 100} { // totals 0, 10, 20, 30, 50
		h.assign(js[i], hover)
		h.score(js[i], hover, drones(d, 1))
	}
	for i, d := range []float64{0, 40, 100, 100} { // totals 0, 20, 50, 50: 4 judges, the mean
		h.assign(js[i], crawler)
		h.score(js[i], crawler, drones(d, 1))
	}

	rows := func() map[string]judging.ResultRow {
		t.Helper()
		res := must(h.svc.Results(h.ctx, h.admin))(t)
		out := map[string]judging.ResultRow{}
		for _, r := range res.Categories[1].Ranking {
			out[r.EntryID] = r
		}
		return out
	}
	got := rows()
	if r := got[hover.ID]; r.Score == nil || !approx(*r.Score, 20) || r.Judges != 5 || r.Rank != 2 {
		t.Fatalf("5 judges, totals 0…50: row %+v score %v; want (10+20+30)/3 = 20 from 5 judges, rank 2", r, deref(r.Score))
	}
	if r := got[crawler.ID]; r.Score == nil || !approx(*r.Score, 30) || r.Judges != 4 || r.Rank != 1 {
		t.Fatalf("4 judges: row %+v score %v; want the plain mean 30, rank 1", r, deref(r.Score))
	}

	t.Run("a recusal back to 4 judges is the plain mean", func(t *testing.T) {
		h := h.on(t)
		if err := h.svc.Recuse(h.ctx, js[0], hover.ID); err != nil { // the 0
			t.Fatal(err)
		}
		if r := rows()[hover.ID]; r.Score == nil || !approx(*r.Score, 27.5) || r.Judges != 4 {
			t.Fatalf("row %+v score %v; want (10+20+30+50)/4 = 27.5 from 4 judges", r, deref(r.Score))
		}
	})
}

func deref(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

func TestService_Results_normalised(t *testing.T) {
	// normalised: the ranking after each judge's totals are turned into z-scores over all that
	// judge's scores, and whether its winner differs from the plain one.
	h := newService(t)
	x := h.entry(h.exhibitor("X Co"), catCyber, "X")
	y := h.entry(h.exhibitor("Y Co"), catCyber, "Y")
	lenient, harsh := h.judge([]string{catCyber}), h.judge([]string{catCyber})
	h.assign(lenient, x, y)
	h.assign(harsh, x, y)
	h.score(lenient, x, cyber(10, 5)) // 100
	h.score(lenient, y, cyber(0, 1))  // 0
	h.score(harsh, x, cyber(0, 1))    // 0
	h.score(harsh, y, cyber(2.5, 2))  // 25
	c := must(h.svc.Results(h.ctx, h.admin))(t).Categories[0]
	plain := []judging.ResultRow{
		{Rank: 1, EntryID: x.ID, Title: "X", Company: "X Co", Score: ptr(50), Judges: 2},
		{Rank: 2, EntryID: y.ID, Title: "Y", Company: "Y Co", Score: ptr(12.5), Judges: 2},
	}
	if diff := cmp.Diff(plain, c.Ranking); diff != "" {
		t.Fatalf("plain ranking (-want +got):\n%s", diff)
	}
	// z-scores: lenient x +1, y −1; harsh x −1, y +1: both 0, tied first.
	norm := &judging.NormalisedRanking{WinnerChanges: true, Ranking: []judging.ResultRow{
		{Rank: 1, EntryID: x.ID, Title: "X", Company: "X Co", Score: ptr(0), Judges: 2, Tie: true},
		{Rank: 1, EntryID: y.ID, Title: "Y", Company: "Y Co", Score: ptr(0), Judges: 2, Tie: true},
	}}
	if diff := cmp.Diff(norm, c.Normalised); diff != "" {
		t.Fatalf("normalised (-want +got):\n%s", diff)
	}
}

// replay rebuilds the counting scores from the audit trail: the last "new" per (entry, judge),
// dropped on "withdraw". It checks each record's "old" is what the replay held.
func replay(tb testing.TB, recs []judging.AuditRecord) map[[2]string]judging.Score {
	tb.Helper()
	state := map[[2]string]judging.Score{}
	for i, r := range recs {
		ev := decodeAudit(tb, r)
		k := [2]string{ev.EntryID, ev.JudgeID}
		var held *judging.Score
		if sc, ok := state[k]; ok {
			held = &sc
		}
		if diff := cmp.Diff(held, ev.Old); diff != "" {
			tb.Fatalf("audit record %d (%s): old is not the score that counted (-replayed +recorded):\n%s", i+1, ev.Action, diff)
		}
		switch ev.Action {
		case "score":
			if ev.New == nil {
				tb.Fatalf("audit record %d: a score with no new", i+1)
			}
			state[k] = *ev.New
		case "withdraw":
			delete(state, k)
		default:
			tb.Fatalf("audit record %d: unknown action %q", i+1, ev.Action)
		}
	}
	return state
}

func TestService_Results_equalAuditReplay(t *testing.T) {
	// Issue: "the admin's results equal a recomputation from the audit stream".
	h := newService(t)
	r := rand.New(rand.NewPCG(2026, 3))
	companies := []string{"Acme", "Beta", "Gamma", "Delta", "Epsilon", "Zeta"}
	byID := map[string]judging.Entry{}
	for i, c := range companies {
		ex := h.exhibitor(c)
		for _, cat := range []string{catCyber, catDrones} {
			e := h.entry(ex, cat, fmt.Sprintf("%s %s %d", c, cat, i))
			byID[e.ID] = e
		}
	}
	h.draft(h.exhibitor("Eta"), catCSR, "Draft")
	csr := h.entry(h.exhibitor("Theta"), catCSR, "Unscored")
	byID[csr.ID] = csr
	for i := range 7 {
		cats := []string{catCyber, catDrones}
		if i%3 == 0 {
			cats = []string{catCyber}
		}
		h.judge(cats, companies[i%len(companies)])
	}
	must(h.svc.AutoAssign(h.ctx, h.admin, 3))(t)

	marks := func(cat string) judging.ScoreInput {
		in := cyber(float64(r.IntN(101))/10, float64(1+r.IntN(5)))
		if cat == catDrones {
			in = drones(float64(r.IntN(1001))/10, 1+float64(r.IntN(41))/10)
		}
		if r.IntN(4) == 0 {
			in.Comment = fmt.Sprintf("note %d", r.IntN(3))
		}
		return in
	}
	last := map[judging.Assignment]judging.ScoreInput{}
	var recused, unassigned bool
	for step := range 150 {
		pairs := h.activePairs()
		if step >= 60 && !recused || step >= 110 && !unassigned {
			// End an assignment that has a counting score: once by recusal, once by an admin.
			for _, p := range pairs {
				if _, scored := last[p.Assignment]; !scored {
					continue
				}
				delete(last, p.Assignment)
				if !recused {
					recused = true
					if err := h.svc.Recuse(h.ctx, judging.Actor{ID: p.JudgeID, Role: judging.RoleJudge}, p.EntryID); err != nil {
						t.Fatal(err)
					}
				} else {
					unassigned = true
					if err := h.svc.Unassign(h.ctx, h.admin, p.Assignment); err != nil {
						t.Fatal(err)
					}
				}
				break
			}
			continue
		}
		p := pairs[r.IntN(len(pairs))]
		in, ok := last[p.Assignment]
		if !ok || r.IntN(3) > 0 { // a third of rescoring repeats the body
			in = marks(p.CategoryID)
		}
		last[p.Assignment] = in
		h.score(judging.Actor{ID: p.JudgeID, Role: judging.RoleJudge}, byID[p.EntryID], in)
	}
	if !recused || !unassigned {
		t.Fatalf("workload: recused %v, unassigned %v", recused, unassigned)
	}

	recs := must(h.store.Audit(h.ctx))(t)
	state := replay(t, recs)

	var withdraws int
	for _, rec := range recs {
		if decodeAudit(t, rec).Action == "withdraw" {
			withdraws++
		}
	}
	if got, want := withdraws, 2; got != want {
		t.Fatalf("%d withdraw records, want %d (one recusal, one unassignment)", got, want)
	}
	if v := must(h.svc.VerifyAudit(h.ctx, h.admin))(t); !v.OK || v.Records != len(recs) {
		t.Fatalf("VerifyAudit = %+v, want ok over %d records", v, len(recs))
	}

	refs := map[string][]judging.EntryRef{}
	for _, e := range must(h.svc.Entries(h.ctx, h.admin, judging.EntryFilter{}))(t) {
		if e.Status == judging.StatusSubmitted {
			refs[e.CategoryID] = append(refs[e.CategoryID], judging.EntryRef{ID: e.ID, Title: e.Title, Company: e.Company})
		}
	}
	byCat := map[string][]judging.JudgeTotal{}
	var all []judging.JudgeTotal
	for _, sc := range state {
		jt := judging.JudgeTotal{EntryID: sc.EntryID, JudgeID: sc.JudgeID, CategoryID: sc.CategoryID, Total: sc.Total}
		byCat[sc.CategoryID] = append(byCat[sc.CategoryID], jt)
		all = append(all, jt)
	}
	z := judging.Normalise(all)

	res := must(h.svc.Results(h.ctx, h.admin))(t)
	p := must(h.svc.Programme(h.ctx))(t)
	for i, c := range p.Categories {
		got := res.Categories[i]
		want := judging.Tally(c, refs[c.ID], byCat[c.ID])
		if diff := cmp.Diff(want, got.Ranking); diff != "" { // exact float equality: the same totals
			t.Errorf("%s: results differ from the audit replay (-replay +results):\n%s", c.ID, diff)
		}
		wantNorm := judging.Tally(c, refs[c.ID], z)
		if diff := cmp.Diff(wantNorm, got.Normalised.Ranking); diff != "" {
			t.Errorf("%s: normalised results differ from the audit replay (-replay +results):\n%s", c.ID, diff)
		}

		counting := h.counting(c.ID)
		var replayed []judging.Score
		for _, sc := range state {
			if sc.CategoryID == c.ID {
				replayed = append(replayed, sc)
			}
		}
		sortScores(counting)
		sortScores(replayed)
		if diff := cmp.Diff(replayed, counting, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s: the store's counting scores differ from the audit replay (-replay +store):\n%s", c.ID, diff)
		}
	}
	if got := res.Categories[2].Ranking; len(got) != 1 || got[0].Score != nil {
		t.Fatalf("csr ranking = %+v, want the one unscored submitted entry", got)
	}
}

// sortScores orders scores by entry, then judge.
func sortScores(s []judging.Score) {
	slices.SortFunc(s, func(a, b judging.Score) int {
		if c := strings.Compare(a.EntryID, b.EntryID); c != 0 {
			return c
		}
		return strings.Compare(a.JudgeID, b.JudgeID)
	})
}

func TestService_ResultsCSV(t *testing.T) {
	// GET /results.csv (admin) → one row per entry: place, the mean of each criterion, score and judges.
	f := newResultsFixture(t)
	h := f.h
	rows := must(h.svc.ResultsCSV(h.ctx, h.admin))(t)
	row := func(e judging.Entry, rank, tie, innovation, impact, score, judges string) []string {
		return []string{catCyber, "Cyber security", rank, tie, e.ID, e.Title, e.Company, "FR", "false", innovation, impact, "", "", "", score, judges}
	}
	want := [][]string{
		{"category_id", "category", "rank", "tie", "entry_id", "title", "company", "country", "startup",
			"mean_innovation", "mean_impact", "mean_design", "mean_safety", "mean_commitment", "score", "judges"},
		row(f.alpha, "1", "true", "10", "1", "75", "2"),
		row(f.bravo, "1", "true", "7.5", "4", "75", "2"),
		row(f.charlie, "3", "false", "3.75", "2.5", "37.5", "2"),
		row(f.delta, "", "false", "", "", "", "0"),
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Fatalf("results.csv (-want +got):\n%s", diff)
	}
	_, err := h.svc.ResultsCSV(h.ctx, f.j1)
	wantErr(t, err, judging.ErrForbidden)
}

func TestService_AuditCSV(t *testing.T) {
	// GET /audit.csv (admin) → every score version, with the hash that chains it.
	f := newResultsFixture(t)
	h := f.h
	if err := h.svc.Unassign(h.ctx, h.admin, judging.Assignment{JudgeID: f.j2.ID, EntryID: f.alpha.ID}); err != nil {
		t.Fatal(err)
	}
	rows := must(h.svc.AuditCSV(h.ctx, h.admin))(t)
	recs := must(h.store.Audit(h.ctx))(t)
	if got, want := len(rows), 1+len(recs); got != want {
		t.Fatalf("%d rows, want a header and %d records", got, len(recs))
	}
	first := []string{"1", "2026-03-02T09:00:00.000Z", f.j1.ID, "score", "", catCyber, f.alpha.ID, f.j1.ID, "1", "", "75", `{"impact":1,"innovation":10}`, "", recs[0].Hash}
	if diff := cmp.Diff(first, rows[1]); diff != "" {
		t.Fatalf("first record (-want +got):\n%s", diff)
	}
	last := []string{"7", "2026-03-02T09:00:00.000Z", h.admin.ID, "withdraw", "unassigned", catCyber, f.alpha.ID, f.j2.ID, "", "75", "", "", "", recs[6].Hash}
	if diff := cmp.Diff(last, rows[7]); diff != "" {
		t.Fatalf("withdraw record (-want +got):\n%s", diff)
	}
	_, err := h.svc.AuditCSV(h.ctx, f.j1)
	wantErr(t, err, judging.ErrForbidden)
}
