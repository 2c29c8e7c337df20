package judging

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
)

func TestAutoAssign(t *testing.T) {
	a := func(judge, entry string) Assignment { return Assignment{JudgeID: judge, EntryID: entry} }
	for _, tc := range []struct {
		name string
		in   AssignInput
		want AssignPlan
	}{
		{"only judges of the entry's category",
			AssignInput{JudgesPerEntry: 2,
				Entries: []AssignEntry{{"e1", "cyber-security", "Acme"}},
				Judges:  []AssignJudge{{ID: "a", Categories: []string{"cyber-security"}}, {ID: "b", Categories: []string{"csr"}}}},
			AssignPlan{Add: []Assignment{a("a", "e1")}, PerJudge: map[string]int{"a": 1, "b": 0}, Unfilled: []string{"e1"}}},
		{"never a judge whose affiliations match the entry's company (case and spacing ignored)",
			AssignInput{JudgesPerEntry: 1,
				Entries: []AssignEntry{{"e1", "csr", "Acme Robotics"}},
				Judges:  []AssignJudge{{"a", []string{"csr"}, []string{" ACME \t robotics"}}, {"b", []string{"csr"}, []string{"Acme"}}}},
			AssignPlan{Add: []Assignment{a("b", "e1")}, PerJudge: map[string]int{"a": 0, "b": 1}, Unfilled: []string{}}},
		{"a judge who recused from an entry is never assigned it again",
			AssignInput{JudgesPerEntry: 1,
				Entries:  []AssignEntry{{"e1", "csr", ""}},
				Judges:   []AssignJudge{{ID: "a", Categories: []string{"csr"}}, {ID: "b", Categories: []string{"csr"}}},
				Existing: []Assignment{a("a", "e9")},
				Blocked:  []Assignment{a("b", "e1")}},
			AssignPlan{Add: []Assignment{a("a", "e1")}, PerJudge: map[string]int{"a": 2, "b": 0}, Unfilled: []string{}}},
		{"existing assignments are kept and count toward the entry's judges",
			AssignInput{JudgesPerEntry: 2,
				Entries:  []AssignEntry{{"e1", "csr", ""}},
				Judges:   []AssignJudge{{ID: "c", Categories: []string{"csr"}}, {ID: "b", Categories: []string{"csr"}}, {ID: "a", Categories: []string{"csr"}}},
				Existing: []Assignment{a("a", "e1"), a("a", "e1")}},
			AssignPlan{Add: []Assignment{a("b", "e1")}, PerJudge: map[string]int{"a": 1, "b": 1, "c": 0}, Unfilled: []string{}}},
		{"a judge's load counts existing assignments in every category",
			AssignInput{JudgesPerEntry: 1,
				Entries:  []AssignEntry{{"e1", "cyber-security", ""}, {"e2", "cyber-security", ""}},
				Judges:   []AssignJudge{{ID: "a", Categories: []string{"cyber-security", "csr"}}, {ID: "b", Categories: []string{"cyber-security"}}},
				Existing: []Assignment{a("a", "csr1"), a("a", "csr2")}},
			AssignPlan{Add: []Assignment{a("b", "e1"), a("b", "e2")}, PerJudge: map[string]int{"a": 2, "b": 2}, Unfilled: []string{}}},
		{"per_judge is every judge's load after the call, 0 included",
			AssignInput{JudgesPerEntry: 1,
				Entries: []AssignEntry{{"e1", "csr", ""}},
				Judges:  []AssignJudge{{ID: "a", Categories: []string{"csr"}}, {ID: "idle"}}},
			AssignPlan{Add: []Assignment{a("a", "e1")}, PerJudge: map[string]int{"a": 1, "idle": 0}, Unfilled: []string{}}},
		{"the same judge is never on an entry twice; unfilled names entries that cannot get enough eligible judges",
			AssignInput{JudgesPerEntry: 3,
				Entries: []AssignEntry{{"e2", "csr", ""}, {"e1", "csr", ""}},
				Judges:  []AssignJudge{{ID: "a", Categories: []string{"csr", "csr"}}, {ID: "b", Categories: []string{"csr"}}}},
			AssignPlan{Add: []Assignment{a("a", "e1"), a("b", "e1"), a("a", "e2"), a("b", "e2")},
				PerJudge: map[string]int{"a": 2, "b": 2}, Unfilled: []string{"e1", "e2"}}},
		{"load spread as evenly as possible: an entry moves from a busy judge to an idle one",
			// greedy gives e1 to a (tie with b) and then e2 to a (x is busier); the repair hands e1 to b
			AssignInput{JudgesPerEntry: 1,
				Entries:  []AssignEntry{{"e1", "csr", ""}, {"e2", "cyber-security", ""}},
				Judges:   []AssignJudge{{ID: "a", Categories: []string{"csr", "cyber-security"}}, {ID: "b", Categories: []string{"csr"}}, {ID: "x", Categories: []string{"cyber-security"}}},
				Existing: []Assignment{a("x", "o1"), a("x", "o2"), a("x", "o3")}},
			AssignPlan{Add: []Assignment{a("b", "e1"), a("a", "e2")}, PerJudge: map[string]int{"a": 1, "b": 1, "x": 3}, Unfilled: []string{}}},
		{"judges_per_entry 0 assigns nothing",
			AssignInput{Entries: []AssignEntry{{"e1", "csr", ""}}, Judges: []AssignJudge{{ID: "a", Categories: []string{"csr"}}}},
			AssignPlan{Add: []Assignment{}, PerJudge: map[string]int{"a": 0}, Unfilled: []string{}}},
		{"no judges: every entry is unfilled",
			AssignInput{JudgesPerEntry: 1, Entries: []AssignEntry{{"e1", "csr", ""}}},
			AssignPlan{Add: []Assignment{}, PerJudge: map[string]int{}, Unfilled: []string{"e1"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := gocmp.Diff(tc.want, AutoAssign(tc.in)); diff != "" {
				t.Fatalf("AutoAssign (-want +got):\n%s", diff)
			}
		})
	}
}

// assignGen sizes a random AutoAssign instance.
type assignGen struct {
	entries, judges, cats, companies, maxPerEntry, existing, blocked int
	conflicts                                                        bool
}

func (g assignGen) input(r *rand.Rand) AssignInput {
	in := AssignInput{JudgesPerEntry: r.IntN(g.maxPerEntry + 1)}
	cat := func() string { return fmt.Sprintf("cat-%d", r.IntN(g.cats)) }
	company := func(spelling bool) string {
		c := fmt.Sprintf("Company %d", r.IntN(g.companies))
		if spelling && r.IntN(2) == 0 {
			c = " " + strings.ToUpper(strings.ReplaceAll(c, " ", "  ")) + "\t"
		}
		return c
	}
	for i := range g.entries {
		in.Entries = append(in.Entries, AssignEntry{ID: fmt.Sprintf("e%03d", i), CategoryID: cat(), Company: company(false)})
	}
	for i := range g.judges {
		j := AssignJudge{ID: fmt.Sprintf("j%03d", i)}
		for range r.IntN(g.cats + 1) {
			j.Categories = append(j.Categories, cat())
		}
		if g.conflicts && r.IntN(3) == 0 {
			j.Affiliations = []string{company(true)}
		}
		in.Judges = append(in.Judges, j)
	}
	pair := func() Assignment { // sometimes an entry or judge the input does not list
		return Assignment{JudgeID: fmt.Sprintf("j%03d", r.IntN(g.judges+1)), EntryID: fmt.Sprintf("e%03d", r.IntN(g.entries+2))}
	}
	for range r.IntN(g.existing + 1) {
		in.Existing = append(in.Existing, pair())
	}
	for range r.IntN(g.blocked + 1) {
		in.Blocked = append(in.Blocked, pair())
	}
	return in
}

// refEligible is the plain reference for who may be added to an entry, straight from the rules.
func refEligible(in AssignInput, e AssignEntry, j AssignJudge) bool {
	return slices.Contains(j.Categories, e.CategoryID) && !Conflicted(j.Affiliations, e.Company) &&
		!slices.Contains(in.Blocked, Assignment{j.ID, e.ID}) && !slices.Contains(in.Existing, Assignment{j.ID, e.ID})
}

// checkPlan checks a plan against the rules, recomputed naively from the input.
func checkPlan(t testing.TB, in AssignInput, p AssignPlan) {
	t.Helper()
	existing := map[Assignment]bool{}
	for _, a := range in.Existing {
		existing[a] = true
	}
	if !slices.IsSortedFunc(p.Add, func(a, b Assignment) int {
		return strings.Compare(a.EntryID+"\x00"+a.JudgeID, b.EntryID+"\x00"+b.JudgeID)
	}) {
		t.Fatalf("Add is not sorted by entry then judge: %v", p.Add)
	}
	if len(p.PerJudge) != len(in.Judges) {
		t.Fatalf("PerJudge has %d judges, want %d", len(p.PerJudge), len(in.Judges))
	}
	var unfilled []string
	for _, e := range in.Entries {
		have, eligible, added := 0, 0, 0
		for a := range existing {
			if a.EntryID == e.ID {
				have++
			}
		}
		for _, j := range in.Judges {
			if refEligible(in, e, j) {
				eligible++
			}
			if slices.Contains(p.Add, Assignment{j.ID, e.ID}) {
				if !refEligible(in, e, j) {
					t.Fatalf("%s was given %s, which breaks a rule", j.ID, e.ID)
				}
				added++
			}
		}
		if got, want := added, min(max(in.JudgesPerEntry-have, 0), eligible); got != want {
			t.Fatalf("%s got %d new judges, want %d (has %d, %d eligible)", e.ID, got, want, have, eligible)
		}
		if have+added < in.JudgesPerEntry {
			unfilled = append(unfilled, e.ID)
		}
	}
	if len(slices.Compact(slices.Clone(p.Add))) != len(p.Add) {
		t.Fatalf("an assignment appears twice in %v", p.Add)
	}
	for _, j := range in.Judges {
		load := 0
		for a := range existing {
			if a.JudgeID == j.ID {
				load++
			}
		}
		for _, a := range p.Add {
			if a.JudgeID == j.ID {
				load++
			}
		}
		if got, want := p.PerJudge[j.ID], load; got != want {
			t.Fatalf("PerJudge[%s] = %d, want %d", j.ID, got, want)
		}
	}
	slices.Sort(unfilled)
	if diff := gocmp.Diff(unfilled, p.Unfilled, gocmpEmpty); diff != "" {
		t.Fatalf("Unfilled (-want +got):\n%s", diff)
	}
}

var gocmpEmpty = gocmp.FilterValues(func(a, b []string) bool { return len(a) == 0 && len(b) == 0 }, gocmp.Ignore())

// shuffled returns a deep copy of in with every slice in another order.
func shuffled(r *rand.Rand, in AssignInput) AssignInput {
	out := AssignInput{JudgesPerEntry: in.JudgesPerEntry,
		Entries: slices.Clone(in.Entries), Existing: slices.Clone(in.Existing), Blocked: slices.Clone(in.Blocked)}
	for _, j := range in.Judges {
		c := AssignJudge{j.ID, slices.Clone(j.Categories), slices.Clone(j.Affiliations)}
		r.Shuffle(len(c.Categories), func(a, b int) { c.Categories[a], c.Categories[b] = c.Categories[b], c.Categories[a] })
		r.Shuffle(len(c.Affiliations), func(a, b int) { c.Affiliations[a], c.Affiliations[b] = c.Affiliations[b], c.Affiliations[a] })
		out.Judges = append(out.Judges, c)
	}
	r.Shuffle(len(out.Entries), func(a, b int) { out.Entries[a], out.Entries[b] = out.Entries[b], out.Entries[a] })
	r.Shuffle(len(out.Judges), func(a, b int) { out.Judges[a], out.Judges[b] = out.Judges[b], out.Judges[a] })
	r.Shuffle(len(out.Existing), func(a, b int) { out.Existing[a], out.Existing[b] = out.Existing[b], out.Existing[a] })
	r.Shuffle(len(out.Blocked), func(a, b int) { out.Blocked[a], out.Blocked[b] = out.Blocked[b], out.Blocked[a] })
	return out
}

func spread(loads map[string]int) (lo, hi int) {
	first := true
	for _, n := range loads {
		if first || n < lo {
			lo = n
		}
		if first || n > hi {
			hi = n
		}
		first = false
	}
	return lo, hi
}

func TestAutoAssign_Rules(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for range 400 {
		g := assignGen{entries: r.IntN(40), judges: r.IntN(12), cats: 1 + r.IntN(3), companies: 1 + r.IntN(6),
			maxPerEntry: 4, existing: 10, blocked: 10, conflicts: true}
		in := g.input(r)
		p := AutoAssign(in)
		checkPlan(t, in, p)
		if diff := gocmp.Diff(p, AutoAssign(shuffled(r, in))); diff != "" {
			t.Fatalf("the plan depends on the order of the input (-first +shuffled):\n%s", diff)
		}
	}
}

func TestAutoAssign_EvenWhenEveryJudgeCanTakeEveryEntry(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	for range 300 {
		g := assignGen{entries: r.IntN(80), judges: 1 + r.IntN(15), cats: 1 + r.IntN(3), companies: 5, maxPerEntry: 4}
		in := g.input(r)
		for i := range in.Judges {
			in.Judges[i].Categories = []string{"cat-0", "cat-1", "cat-2"}
		}
		p := AutoAssign(in)
		checkPlan(t, in, p)
		if lo, hi := spread(p.PerJudge); hi-lo > 1 {
			t.Fatalf("max − min = %d − %d > 1 with %d entries × %d judges × %d per entry: %v", hi, lo, len(in.Entries), len(in.Judges), in.JudgesPerEntry, p.PerJudge)
		}
	}
}

// TestAutoAssign_AsEvenAsTheConstraintsAllow compares, on small instances, the plan's highest
// and lowest load with the best ones over every valid plan, found by brute force.
func TestAutoAssign_AsEvenAsTheConstraintsAllow(t *testing.T) {
	r := rand.New(rand.NewPCG(25, 26))
	for range 300 {
		g := assignGen{entries: r.IntN(6), judges: 1 + r.IntN(4), cats: 1 + r.IntN(2), companies: 3,
			maxPerEntry: 2, existing: 3, blocked: 3, conflicts: true}
		in := g.input(r)
		p := AutoAssign(in)
		checkPlan(t, in, p)
		lo, hi := spread(p.PerJudge)
		bestLo, bestHi := bruteSpread(in)
		if lo != bestLo || hi != bestHi {
			t.Fatalf("loads span %d..%d, best possible %d..%d; input %+v, plan %+v", lo, hi, bestLo, bestHi, in, p)
		}
	}
}

// bruteSpread tries every plan that gives each entry its due number of eligible judges and
// returns the highest lowest load and the lowest highest load among them.
func bruteSpread(in AssignInput) (bestLo, bestHi int) {
	load := make([]int, len(in.Judges))
	existing := map[Assignment]bool{}
	for _, a := range in.Existing {
		existing[a] = true
	}
	var eligible [][]int
	var want []int
	for _, e := range in.Entries {
		have := 0
		for a := range existing {
			if a.EntryID == e.ID {
				have++
			}
		}
		var el []int
		for i, j := range in.Judges {
			if existing[Assignment{j.ID, e.ID}] {
				load[i]++
			}
			if refEligible(in, e, j) {
				el = append(el, i)
			}
		}
		eligible = append(eligible, el)
		want = append(want, min(max(in.JudgesPerEntry-have, 0), len(el)))
	}
	for a := range existing { // existing assignments to entries the input does not list
		if !slices.ContainsFunc(in.Entries, func(e AssignEntry) bool { return e.ID == a.EntryID }) {
			for i, j := range in.Judges {
				if j.ID == a.JudgeID {
					load[i]++
				}
			}
		}
	}
	bestLo, bestHi = -1, -1
	var entry func(e int)
	var pick func(e, from, left int)
	entry = func(e int) {
		if e == len(eligible) {
			lo, hi := slices.Min(load), slices.Max(load)
			if bestLo < 0 || lo > bestLo {
				bestLo = lo
			}
			if bestHi < 0 || hi < bestHi {
				bestHi = hi
			}
			return
		}
		pick(e, 0, want[e])
	}
	pick = func(e, from, left int) {
		if left == 0 {
			entry(e + 1)
			return
		}
		for k := from; k < len(eligible[e]); k++ {
			load[eligible[e][k]]++
			pick(e, k+1, left-1)
			load[eligible[e][k]]--
		}
	}
	entry(0)
	return bestLo, bestHi
}

// benchInput is the size the issue asks for: 2,000 entries × 200 judges, 6 categories, judges in
// 1–3 categories, about 5% of judges affiliated with some entries' companies.
func benchInput() AssignInput {
	r := rand.New(rand.NewPCG(27, 28))
	cats := []string{"cyber-security", "large-event-security", "first-responder-protection", "drones-robotics", "crisis-management", "csr"}
	in := AssignInput{JudgesPerEntry: 3}
	for i := range 2000 {
		in.Entries = append(in.Entries, AssignEntry{ID: fmt.Sprintf("e%04d", i), CategoryID: cats[r.IntN(len(cats))], Company: fmt.Sprintf("Company %d", r.IntN(600))})
	}
	for i := range 200 {
		j := AssignJudge{ID: fmt.Sprintf("j%03d", i)}
		for _, k := range r.Perm(len(cats))[:1+r.IntN(3)] {
			j.Categories = append(j.Categories, cats[k])
		}
		if r.IntN(20) == 0 {
			for range 1 + r.IntN(3) {
				j.Affiliations = append(j.Affiliations, fmt.Sprintf("company %d", r.IntN(600)))
			}
		}
		in.Judges = append(in.Judges, j)
	}
	return in
}

func BenchmarkAutoAssign(b *testing.B) {
	in := benchInput()
	var p AssignPlan
	for b.Loop() {
		p = AutoAssign(in)
	}
	lo, hi := spread(p.PerJudge)
	b.ReportMetric(float64(hi-lo), "spread")
	b.ReportMetric(float64(len(p.Unfilled)), "unfilled")
}
