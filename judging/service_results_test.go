package judging_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/awards-dev/awards/judging"
	"github.com/awards-dev/awards/judging/judgingtest"
)

func ptr(f float64) *float64 { return &f }

// resultsFixture is a cyber-security category of four entries: two tied first, one third,
// one unscored; plus a draft that is never ranked.
type resultsFixture struct {
	h                            *judgingtest.Rig
	alpha, bravo, charlie, delta judging.Entry
	j1, j2                       judging.Actor
}

func newResultsFixture(t *testing.T) resultsFixture {
	h := judgingtest.New(t)
	f := resultsFixture{h: h,
		alpha:   h.Entry(h.Exhibitor("Alpha Co"), judgingtest.CatCyber, "Alpha"),
		bravo:   h.Entry(h.Exhibitor("Bravo Co"), judgingtest.CatCyber, "Bravo"),
		charlie: h.Entry(h.Exhibitor("Charlie Co"), judgingtest.CatCyber, "Charlie"),
		delta:   h.Entry(h.Exhibitor("Delta Co"), judgingtest.CatCyber, "Delta"),
		j1:      h.Judge([]string{judgingtest.CatCyber}),
		j2:      h.Judge([]string{judgingtest.CatCyber}),
	}
	h.Draft(h.Exhibitor("Echo Co"), judgingtest.CatCyber, "Echo draft")
	for _, j := range []judging.Actor{f.j1, f.j2} {
		h.Assign(j, f.alpha, f.bravo, f.charlie, f.delta)
	}
	h.Score(f.j1, f.alpha, judgingtest.Cyber(10, 1))    // 75
	h.Score(f.j2, f.alpha, judgingtest.Cyber(10, 1))    // 75 → 75
	h.Score(f.j1, f.bravo, judgingtest.Cyber(5, 3))     // 50
	h.Score(f.j2, f.bravo, judgingtest.Cyber(10, 5))    // 100 → 75
	h.Score(f.j1, f.charlie, judgingtest.Cyber(2.5, 2)) // 25
	h.Score(f.j2, f.charlie, judgingtest.Cyber(5, 3))   // 50 → 37.5
	h.Pub.Take()
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
	for _, c := range judgingtest.Programme().Categories {
		out = append(out, judging.CategoryResults{ID: c.ID, Name: c.Name})
	}
	return out
}

// others are the callers who are not admins.
func (f resultsFixture) others(t *testing.T) map[string]judging.Actor {
	screen := judgingtest.Must(f.h.Svc.CreateScreen(f.h.Ctx, f.h.Admin, "Main stage"))(t)
	return map[string]judging.Actor{
		"judge":     f.j1,
		"exhibitor": f.h.Exhibitor("Foxtrot"),
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
		h := h.On(t)
		res := judgingtest.Must(h.Svc.Results(h.Ctx, h.Admin))(t)
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
		h := h.On(t)
		rows := judgingtest.Must(h.Svc.Results(h.Ctx, h.Admin))(t).Categories[0].Ranking
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
		h := h.On(t)
		rows := judgingtest.Must(h.Svc.Results(h.Ctx, h.Admin))(t).Categories[0].Ranking
		last := rows[len(rows)-1]
		if last.EntryID != f.delta.ID || last.Score != nil || last.Rank != 0 || last.Judges != 0 {
			t.Fatalf("last row = %+v, want the unscored entry with no score, rank or judges", last)
		}
	})

	others := f.others(t)
	t.Run("others see only revealed categories", func(t *testing.T) {
		// Every other role and the public: unrevealed categories appear with revealed: false and no ranking.
		h := h.On(t)
		for name, a := range others {
			res := judgingtest.Must(h.Svc.Results(h.Ctx, a))(t)
			if diff := cmp.Diff(sealed(), res.Categories); diff != "" {
				t.Fatalf("%s sees (-want +got):\n%s", name, diff)
			}
		}
	})

	t.Run("a reveal shows the whole category to everyone", func(t *testing.T) {
		// POST /ceremony/reveal {category_id} → the whole category is revealed: its 3 places
		// (a place is one rank; the unscored entries are the last).
		h := h.On(t)
		rr := judgingtest.Must(h.Svc.Reveal(h.Ctx, h.Admin, judgingtest.CatCyber, false))(t)
		if diff := cmp.Diff(judging.RevealResult{CategoryID: judgingtest.CatCyber, Revealed: true, PlacesShown: 3, Places: 3}, rr); diff != "" {
			t.Fatalf("reveal (-want +got):\n%s", diff)
		}
		h.WantEvents(judging.Event{Type: judging.EventReveal, CategoryID: judgingtest.CatCyber})
		want := sealed()
		want[0].Revealed, want[0].Ranking = true, f.ranking()
		for name, a := range others {
			res := judgingtest.Must(h.Svc.Results(h.Ctx, a))(t)
			if diff := cmp.Diff(want, res.Categories); diff != "" {
				t.Fatalf("%s sees (-want +got):\n%s", name, diff)
			}
		}
		if got := judgingtest.Must(h.Svc.Results(h.Ctx, h.Admin))(t).Categories[0]; !got.Revealed || got.Normalised == nil {
			t.Fatalf("admin: revealed %v normalised %v", got.Revealed, got.Normalised)
		}
		cer := judgingtest.Must(h.Svc.Ceremony(h.Ctx))(t)
		if diff := cmp.Diff([]string{judgingtest.CatCyber}, cer.Revealed); diff != "" {
			t.Fatalf("ceremony revealed (-want +got):\n%s", diff)
		}
	})

	t.Run("ErrForbidden", func(t *testing.T) {
		// POST /ceremony/reveal is for admins.
		h := h.On(t)
		_, err := h.Svc.Reveal(h.Ctx, f.j1, judgingtest.CatDrones, false)
		judgingtest.WantErr(t, err, judging.ErrForbidden)
	})

	t.Run("ErrUnknownCategory", func(t *testing.T) {
		h := h.On(t)
		_, err := h.Svc.Reveal(h.Ctx, h.Admin, "cooking", false)
		judgingtest.WantErr(t, err, judging.ErrUnknownCategory)
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
	ceremonyAt := judgingtest.Programme().CeremonyAt
	for k := 1; k <= places+1; k++ {
		shown := min(k, places)
		done := shown == places
		t.Run(fmt.Sprintf("step %d", k), func(t *testing.T) {
			h := h.On(t)
			rr := judgingtest.Must(h.Svc.Reveal(h.Ctx, h.Admin, judgingtest.CatCyber, true))(t)
			if diff := cmp.Diff(judging.RevealResult{CategoryID: judgingtest.CatCyber, Revealed: done, PlacesShown: shown, Places: places}, rr); diff != "" {
				t.Fatalf("reveal (-want +got):\n%s", diff)
			}
			h.WantEvents(judging.Event{Type: judging.EventReveal, CategoryID: judgingtest.CatCyber})

			want := sealed()
			want[0].Revealed, want[0].Ranking = done, full[len(full)-rowsShown[shown-1]:]
			if !done {
				want[0].PlacesShown = shown
			}
			if diff := cmp.Diff(want, judgingtest.Must(h.Svc.Results(h.Ctx, public))(t).Categories); diff != "" {
				t.Fatalf("the public sees (-want +got):\n%s", diff)
			}

			admin := judgingtest.Must(h.Svc.Results(h.Ctx, h.Admin))(t).Categories[0]
			if diff := cmp.Diff(full, admin.Ranking); diff != "" {
				t.Fatalf("the admin sees (-want +got):\n%s", diff)
			}

			cer := judgingtest.Must(h.Svc.Ceremony(h.Ctx))(t)
			wantCer := judging.CeremonyState{Revealed: []string{}, Partial: map[string]int{judgingtest.CatCyber: shown}, CeremonyAt: &ceremonyAt}
			if done {
				wantCer.Revealed, wantCer.Partial = []string{judgingtest.CatCyber}, map[string]int{}
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
	h := judgingtest.New(t)
	j := h.Judge([]string{judgingtest.CatCSR, judgingtest.CatDrones})
	csr := func(commitment float64) judging.ScoreInput {
		return judging.ScoreInput{Scores: map[string]float64{"commitment": commitment}}
	}
	scored := func(cat, title string, in judging.ScoreInput) judging.Entry {
		e := h.Entry(h.Exhibitor(title+" Co"), cat, title)
		h.Assign(j, e)
		h.Score(j, e, in)
		return e
	}
	top := scored(judgingtest.CatCSR, "Alpha", csr(5))
	mid1, mid2, mid3 := scored(judgingtest.CatCSR, "Bravo", csr(3)), scored(judgingtest.CatCSR, "Charlie", csr(3)), scored(judgingtest.CatCSR, "Delta", csr(3))
	low := scored(judgingtest.CatCSR, "Echo", csr(1))
	scored(judgingtest.CatDrones, "Kilo", judgingtest.Drones(50, 3))
	scored(judgingtest.CatDrones, "Lima", judgingtest.Drones(50, 3))
	public := judging.Actor{}
	shownIDs := func(t *testing.T, cat string) []string {
		t.Helper()
		for _, c := range judgingtest.Must(h.Svc.Results(h.Ctx, public))(t).Categories {
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
		h := h.On(t)
		for i, want := range [][]string{
			{low.ID},
			{mid1.ID, mid2.ID, mid3.ID, low.ID},
			{top.ID, mid1.ID, mid2.ID, mid3.ID, low.ID},
		} {
			shown := i + 1
			rr := judgingtest.Must(h.Svc.Reveal(h.Ctx, h.Admin, judgingtest.CatCSR, true))(t)
			if diff := cmp.Diff(judging.RevealResult{CategoryID: judgingtest.CatCSR, Revealed: shown == 3, PlacesShown: shown, Places: 3}, rr); diff != "" {
				t.Fatalf("step %d (-want +got):\n%s", shown, diff)
			}
			if diff := cmp.Diff(want, shownIDs(t, judgingtest.CatCSR)); diff != "" {
				t.Fatalf("step %d: the public sees (-want +got):\n%s", shown, diff)
			}
			if got, want := judgingtest.Must(h.Svc.Ceremony(h.Ctx))(t).Partial[judgingtest.CatCSR], shown%3; got != want {
				t.Fatalf("step %d: GET /ceremony partial = %d, want %d", shown, got, want)
			}
		}
	})

	t.Run("an all-tied category is revealed in one step", func(t *testing.T) {
		h := h.On(t)
		rr := judgingtest.Must(h.Svc.Reveal(h.Ctx, h.Admin, judgingtest.CatDrones, true))(t)
		if diff := cmp.Diff(judging.RevealResult{CategoryID: judgingtest.CatDrones, Revealed: true, PlacesShown: 1, Places: 1}, rr); diff != "" {
			t.Fatalf("reveal (-want +got):\n%s", diff)
		}
		if got := len(shownIDs(t, judgingtest.CatDrones)); got != 2 {
			t.Fatalf("the public sees %d rows, want both tied entries", got)
		}
	})

	t.Run("an empty category is revealed in one step", func(t *testing.T) {
		h := h.On(t)
		rr := judgingtest.Must(h.Svc.Reveal(h.Ctx, h.Admin, judgingtest.CatCyber, true))(t)
		if diff := cmp.Diff(judging.RevealResult{CategoryID: judgingtest.CatCyber, Revealed: true}, rr); diff != "" {
			t.Fatalf("reveal (-want +got):\n%s", diff)
		}
	})
}

// readSpy is the real Entries, recording which categories' entries a use case reads.
type readSpy struct {
	entries // the port, under a name its own method Entries does not clash with
	mu      sync.Mutex
	refs    []string // categories read through EntryRefs
	listed  int      // calls to Entries, which read whole entries
}

type entries = judging.Entries

func (s *readSpy) EntryRefs(ctx context.Context, categoryID string) ([]judging.EntryRef, error) {
	s.mu.Lock()
	s.refs = append(s.refs, categoryID)
	s.mu.Unlock()
	return s.entries.EntryRefs(ctx, categoryID)
}

func (s *readSpy) Entries(ctx context.Context, scope judging.EntryScope) ([]judging.Entry, error) {
	s.mu.Lock()
	s.listed++
	s.mu.Unlock()
	return s.entries.Entries(ctx, scope)
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
	h.Entry(h.Exhibitor("Golf Co"), judgingtest.CatCSR, "Golf") // a sealed category with an entry
	spy := &readSpy{entries: h.Store}
	svc := h.NewService(t, func(d *judging.Deps) { d.Entries = spy })

	judgingtest.Must(svc.Results(h.Ctx, judging.Actor{}))(t)
	if refs, listed := spy.take(); len(refs) != 0 || listed != 0 {
		t.Fatalf("nothing revealed: the public's results read entries of %v and listed entries %d times", refs, listed)
	}
	judgingtest.Must(svc.Reveal(h.Ctx, h.Admin, judgingtest.CatCyber, true))(t)
	spy.take()
	for name, a := range f.others(t) {
		judgingtest.Must(svc.Results(h.Ctx, a))(t)
		refs, listed := spy.take()
		if diff := cmp.Diff([]string{judgingtest.CatCyber}, refs); diff != "" || listed != 0 {
			t.Fatalf("%s: results read the entries of (-want +got):\n%s\nand listed whole entries %d times, want 0", name, diff, listed)
		}
	}
	judgingtest.Must(svc.Results(h.Ctx, h.Admin))(t)
	if refs, listed := spy.take(); !cmp.Equal(refs, []string{judgingtest.CatCyber, judgingtest.CatDrones, judgingtest.CatCSR}) || listed != 0 {
		t.Fatalf("admin: results read the entries of %v and listed entries %d times; want every category, through EntryRefs", refs, listed)
	}
}

func TestService_Reveal_interruptedStep(t *testing.T) {
	// A step reveal freezes the category before it counts places; if it stops there, the
	// category is frozen but nothing is shown: GET /ceremony lists no partial place, the
	// public sees no ranking, and the next step shows the first place.
	f := newResultsFixture(t)
	h := f.h
	judgingtest.Must(0, h.Store.Freeze(h.Ctx, judgingtest.CatCyber))(t)
	_, err := h.Svc.SubmitScore(h.Ctx, f.j1, f.delta.ID, judgingtest.Cyber(1, 1))
	judgingtest.WantErr(t, err, judging.ErrCategoryRevealed)
	if cer := judgingtest.Must(h.Svc.Ceremony(h.Ctx))(t); len(cer.Partial) != 0 || len(cer.Revealed) != 0 {
		t.Fatalf("ceremony = %+v, want nothing revealed", cer)
	}
	if diff := cmp.Diff(sealed(), judgingtest.Must(h.Svc.Results(h.Ctx, judging.Actor{}))(t).Categories); diff != "" {
		t.Fatalf("the public sees (-want +got):\n%s", diff)
	}
	rr := judgingtest.Must(h.Svc.Reveal(h.Ctx, h.Admin, judgingtest.CatCyber, true))(t)
	if diff := cmp.Diff(judging.RevealResult{CategoryID: judgingtest.CatCyber, PlacesShown: 1, Places: 3}, rr); diff != "" {
		t.Fatalf("the next step (-want +got):\n%s", diff)
	}
}

func TestService_Results_trimmedMean(t *testing.T) {
	// "tally": "trimmed_mean": drop one highest and one lowest when at least 5 judges scored.
	h := judgingtest.New(t)
	hover := h.Entry(h.Exhibitor("Hover Co"), judgingtest.CatDrones, "Hover")
	crawler := h.Entry(h.Exhibitor("Crawler Co"), judgingtest.CatDrones, "Crawler")
	var js []judging.Actor
	for range 5 {
		js = append(js, h.Judge([]string{judgingtest.CatDrones}))
	}
	// design on 0–100 with safety at its min: the total is design / 2.
	for i, d := range []float64{0, 20, 40, 60, 100} { // totals 0, 10, 20, 30, 50
		h.Assign(js[i], hover)
		h.Score(js[i], hover, judgingtest.Drones(d, 1))
	}
	for i, d := range []float64{0, 40, 100, 100} { // totals 0, 20, 50, 50: 4 judges, the mean
		h.Assign(js[i], crawler)
		h.Score(js[i], crawler, judgingtest.Drones(d, 1))
	}

	rows := func() map[string]judging.ResultRow {
		t.Helper()
		res := judgingtest.Must(h.Svc.Results(h.Ctx, h.Admin))(t)
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
		h := h.On(t)
		if err := h.Svc.Recuse(h.Ctx, js[0], hover.ID); err != nil { // the 0
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
	h := judgingtest.New(t)
	x := h.Entry(h.Exhibitor("X Co"), judgingtest.CatCyber, "X")
	y := h.Entry(h.Exhibitor("Y Co"), judgingtest.CatCyber, "Y")
	lenient, harsh := h.Judge([]string{judgingtest.CatCyber}), h.Judge([]string{judgingtest.CatCyber})
	h.Assign(lenient, x, y)
	h.Assign(harsh, x, y)
	h.Score(lenient, x, judgingtest.Cyber(10, 5)) // 100
	h.Score(lenient, y, judgingtest.Cyber(0, 1))  // 0
	h.Score(harsh, x, judgingtest.Cyber(0, 1))    // 0
	h.Score(harsh, y, judgingtest.Cyber(2.5, 2))  // 25
	c := judgingtest.Must(h.Svc.Results(h.Ctx, h.Admin))(t).Categories[0]
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

func TestService_Results_equalAuditReplay(t *testing.T) {
	// Issue: "the admin's results equal a recomputation from the audit stream".
	h := judgingtest.New(t)
	r := rand.New(rand.NewPCG(2026, 3))
	companies := []string{"Acme", "Beta", "Gamma", "Delta", "Epsilon", "Zeta"}
	byID := map[string]judging.Entry{}
	for i, c := range companies {
		ex := h.Exhibitor(c)
		for _, cat := range []string{judgingtest.CatCyber, judgingtest.CatDrones} {
			e := h.Entry(ex, cat, fmt.Sprintf("%s %s %d", c, cat, i))
			byID[e.ID] = e
		}
	}
	h.Draft(h.Exhibitor("Eta"), judgingtest.CatCSR, "Draft")
	csr := h.Entry(h.Exhibitor("Theta"), judgingtest.CatCSR, "Unscored")
	byID[csr.ID] = csr
	for i := range 7 {
		cats := []string{judgingtest.CatCyber, judgingtest.CatDrones}
		if i%3 == 0 {
			cats = []string{judgingtest.CatCyber}
		}
		h.Judge(cats, companies[i%len(companies)])
	}
	judgingtest.Must(h.Svc.AutoAssign(h.Ctx, h.Admin, 3))(t)

	marks := func(cat string) judging.ScoreInput {
		in := judgingtest.Cyber(float64(r.IntN(101))/10, float64(1+r.IntN(5)))
		if cat == judgingtest.CatDrones {
			in = judgingtest.Drones(float64(r.IntN(1001))/10, 1+float64(r.IntN(41))/10)
		}
		if r.IntN(4) == 0 {
			in.Comment = fmt.Sprintf("note %d", r.IntN(3))
		}
		return in
	}
	last := map[judging.Assignment]judging.ScoreInput{}
	var recused, unassigned bool
	for step := range 150 {
		pairs := h.ActivePairs()
		if step >= 60 && !recused || step >= 110 && !unassigned {
			// End an assignment that has a counting score: once by recusal, once by an admin.
			for _, p := range pairs {
				if _, scored := last[p.Assignment]; !scored {
					continue
				}
				delete(last, p.Assignment)
				if !recused {
					recused = true
					if err := h.Svc.Recuse(h.Ctx, judging.Actor{ID: p.JudgeID, Role: judging.RoleJudge}, p.EntryID); err != nil {
						t.Fatal(err)
					}
				} else {
					unassigned = true
					if err := h.Svc.Unassign(h.Ctx, h.Admin, p.Assignment); err != nil {
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
		h.Score(judging.Actor{ID: p.JudgeID, Role: judging.RoleJudge}, byID[p.EntryID], in)
	}
	if !recused || !unassigned {
		t.Fatalf("workload: recused %v, unassigned %v", recused, unassigned)
	}

	recs := judgingtest.Must(h.Store.Audit(h.Ctx))(t)
	state := judgingtest.Replay(t, recs)

	var withdraws int
	for _, rec := range recs {
		if judgingtest.DecodeAudit(t, rec).Action == "withdraw" {
			withdraws++
		}
	}
	if got, want := withdraws, 2; got != want {
		t.Fatalf("%d withdraw records, want %d (one recusal, one unassignment)", got, want)
	}
	if v := judgingtest.Must(h.Svc.VerifyAudit(h.Ctx, h.Admin))(t); !v.OK || v.Records != len(recs) {
		t.Fatalf("VerifyAudit = %+v, want ok over %d records", v, len(recs))
	}

	refs := map[string][]judging.EntryRef{}
	for _, e := range judgingtest.Must(h.Svc.Entries(h.Ctx, h.Admin, judging.EntryFilter{}))(t) {
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

	res := judgingtest.Must(h.Svc.Results(h.Ctx, h.Admin))(t)
	p := judgingtest.Must(h.Svc.Programme(h.Ctx))(t)
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

		counting := h.Counting(c.ID)
		var replayed []judging.Score
		for _, sc := range state {
			if sc.CategoryID == c.ID {
				replayed = append(replayed, sc)
			}
		}
		judgingtest.SortScores(counting)
		judgingtest.SortScores(replayed)
		if diff := cmp.Diff(replayed, counting, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s: the store's counting scores differ from the audit replay (-replay +store):\n%s", c.ID, diff)
		}
	}
	if got := res.Categories[2].Ranking; len(got) != 1 || got[0].Score != nil {
		t.Fatalf("csr ranking = %+v, want the one unscored submitted entry", got)
	}
}

func TestService_ResultsExport(t *testing.T) {
	// GET /results.csv (admin) → one row per entry: place, the mean of each criterion, score and judges.
	f := newResultsFixture(t)
	h := f.h
	got := judgingtest.Must(h.Svc.ResultsExport(h.Ctx, h.Admin))(t)
	row := func(e judging.Entry, rank int, tie bool, means map[string]float64, score *float64, judges int) judging.ResultsExportRow {
		return judging.ResultsExportRow{CategoryID: judgingtest.CatCyber, Category: "Cyber security", Rank: rank, Tie: tie,
			EntryID: e.ID, Title: e.Title, Company: e.Company, Country: "FR", Means: means, Score: score, Judges: judges}
	}
	want := judging.ResultsExport{
		Criteria: []string{"innovation", "impact", "design", "safety", "commitment"},
		Rows: []judging.ResultsExportRow{
			row(f.alpha, 1, true, map[string]float64{"innovation": 10, "impact": 1}, ptr(75), 2),
			row(f.bravo, 1, true, map[string]float64{"innovation": 7.5, "impact": 4}, ptr(75), 2),
			row(f.charlie, 3, false, map[string]float64{"innovation": 3.75, "impact": 2.5}, ptr(37.5), 2),
			row(f.delta, 0, false, map[string]float64{}, nil, 0),
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("results export (-want +got):\n%s", diff)
	}
	_, err := h.Svc.ResultsExport(h.Ctx, f.j1)
	judgingtest.WantErr(t, err, judging.ErrForbidden)
}

func TestService_AuditExport(t *testing.T) {
	// GET /audit.csv (admin) → every score version, with the hash that chains it.
	f := newResultsFixture(t)
	h := f.h
	if err := h.Svc.Unassign(h.Ctx, h.Admin, judging.Assignment{JudgeID: f.j2.ID, EntryID: f.alpha.ID}); err != nil {
		t.Fatal(err)
	}
	rows := judgingtest.Must(h.Svc.AuditExport(h.Ctx, h.Admin))(t)
	recs := judgingtest.Must(h.Store.Audit(h.Ctx))(t)
	if got, want := len(rows), len(recs); got != want {
		t.Fatalf("%d rows, want one per record (%d)", got, want)
	}
	first, last := rows[0], rows[6]
	if got, want := [4]any{first.Seq, first.Action, first.Hash, first.New.Total}, [4]any{int64(1), "score", recs[0].Hash, 75.0}; got != want {
		t.Fatalf("first record = %v, want %v", got, want)
	}
	if diff := cmp.Diff(map[string]float64{"impact": 1, "innovation": 10}, first.New.Scores); diff != "" {
		t.Fatalf("first record's marks (-want +got):\n%s", diff)
	}
	if got, want := [6]any{last.Seq, last.By, last.Action, last.Reason, last.JudgeID, last.Hash}, [6]any{int64(7), h.Admin.ID, "withdraw", "unassigned", f.j2.ID, recs[6].Hash}; got != want {
		t.Fatalf("withdraw record = %v, want %v", got, want)
	}
	if last.Old == nil || last.Old.Total != 75 || last.New != nil {
		t.Fatalf("withdraw record: old %v, new %v; want old total 75 and no new score", last.Old, last.New)
	}
	_, err := h.Svc.AuditExport(h.Ctx, f.j1)
	judgingtest.WantErr(t, err, judging.ErrForbidden)
}
