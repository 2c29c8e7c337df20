package judging

import (
	"cmp"
	"math"
	"slices"
	"strings"
)

// AssignEntry is what AutoAssign needs to know of a submitted entry.
type AssignEntry struct{ ID, CategoryID, Company string }

// AssignJudge is what AutoAssign needs to know of a judge: what they judge and whom they work for.
type AssignJudge struct {
	ID           string
	Categories   []string
	Affiliations []string
}

// AssignInput is everything one automatic assignment run decides from.
type AssignInput struct {
	JudgesPerEntry int
	Entries        []AssignEntry // submitted entries only (the caller filters drafts)
	Judges         []AssignJudge
	Existing       []Assignment // kept as they are; they count toward each entry's judges and each judge's load
	Blocked        []Assignment // recusals: never (re)assign these pairs
}

// AssignPlan is what an automatic assignment run decided, ready to store and to report.
type AssignPlan struct {
	Add      []Assignment   // the new assignments, sorted by EntryID then JudgeID
	PerJudge map[string]int // every judge's load after the plan (existing + added), 0 included, for every judge in Judges
	Unfilled []string       // sorted ids of entries that still have fewer than JudgesPerEntry judges
}

// AutoAssign tops every entry up to JudgesPerEntry judges of its category, never a conflicted
// or blocked pair, spreading load as evenly as the constraints allow.
func AutoAssign(in AssignInput) AssignPlan {
	// How: this is a bipartite b-matching in which entry e must take exactly
	// min(JudgesPerEntry − its existing judges, its eligible judges) new judges, and the judges'
	// loads should be as even as possible. A greedy pass fills the entries, forced ones first and
	// the categories interleaved, each slot going to the least loaded eligible judge (ties by id),
	// which on realistic input is already within one or two of even. A repair pass then moves
	// this call's assignments along alternating paths (judge A hands entry e1 to B, B hands e2
	// to C, …) from a judge with load L to one with load ≤ L−2, until no such path exists. Each
	// move lowers Σ load², and a plan with no such path minimises Σ load², which for these plans
	// (an M-convex set) also minimises the highest load and maximises the lowest, so max − min
	// is as small as the constraints allow. Judges and entries are sorted by id first, so the
	// plan does not depend on the order of the input slices. A judge listed twice counts once,
	// with the union of the categories and affiliations; an entry listed twice counts once.
	p := newPlanner(in)
	p.fill()
	for p.improve() {
	}
	return p.plan()
}

// planner holds one AutoAssign run; judges and entries are indices into id-sorted slices.
type planner struct {
	perEntry int
	judges   []string      // ids, sorted, unique
	entries  []AssignEntry // sorted by id, unique
	load     []int         // per judge: existing (any entry) + added
	have     []int         // per entry: existing judges (any judge)
	elig     [][]int32     // per entry: judges who may be added, ascending
	added    [][]int32     // per entry: judges this call added
	held     [][]int32     // per judge: entries this call added them to
	on       []uint64      // bitset per entry, words per row: judge added to entry
	words    int

	// scratch for the repair pass
	from, via []int32
	seen      []uint32
	gen       uint32
	queue     []int32
}

// newPlanner sorts and de-duplicates the input, counts existing loads and works out which
// judges each entry may be given.
func newPlanner(in AssignInput) *planner {
	type judge struct{ cats, affs []string }
	byID := map[string]*judge{}
	for _, j := range in.Judges {
		if byID[j.ID] == nil {
			byID[j.ID] = &judge{}
		}
		byID[j.ID].cats = append(byID[j.ID].cats, j.Categories...)
		byID[j.ID].affs = append(byID[j.ID].affs, j.Affiliations...)
	}
	p := &planner{perEntry: in.JudgesPerEntry}
	for id := range byID {
		p.judges = append(p.judges, id)
	}
	slices.Sort(p.judges)
	p.entries = slices.Clone(in.Entries)
	slices.SortFunc(p.entries, func(a, b AssignEntry) int {
		return cmp.Or(strings.Compare(a.ID, b.ID), strings.Compare(a.CategoryID, b.CategoryID), strings.Compare(a.Company, b.Company))
	})
	p.entries = slices.CompactFunc(p.entries, func(a, b AssignEntry) bool { return a.ID == b.ID })
	nj, ne := len(p.judges), len(p.entries)
	p.words = (nj + 63) / 64
	p.load, p.have = make([]int, nj), make([]int, ne)
	p.added, p.held = make([][]int32, ne), make([][]int32, nj)
	p.on = make([]uint64, ne*p.words)
	excluded := p.count(in.Existing, in.Blocked)

	// Companies are interned; a judge's conflicts are the entry companies they are affiliated with.
	company := map[string]int32{} // CompanyKey → id
	keys := map[string]string{}   // raw name → CompanyKey, to fold each name once
	key := func(s string) string {
		k, ok := keys[s]
		if !ok {
			k = CompanyKey(s)
			keys[s] = k
		}
		return k
	}
	entryCo := make([]int32, ne)
	for i, e := range p.entries {
		entryCo[i] = -1
		if k := key(e.Company); k != "" {
			if _, ok := company[k]; !ok {
				company[k] = int32(len(company))
			}
			entryCo[i] = company[k]
		}
	}
	conflicts := make([][]int32, nj)
	byCat := map[string][]int32{} // category → its judges, ascending
	for i, id := range p.judges {
		for _, a := range byID[id].affs {
			if c, ok := company[key(a)]; ok && !slices.Contains(conflicts[i], c) {
				conflicts[i] = append(conflicts[i], c)
			}
		}
		cats := slices.Clone(byID[id].cats)
		slices.Sort(cats)
		for _, c := range slices.Compact(cats) {
			byCat[c] = append(byCat[c], int32(i))
		}
	}
	room := 0
	for _, e := range p.entries {
		room += len(byCat[e.CategoryID])
	}
	flat := make([]int32, 0, room) // one allocation for every entry's list
	p.elig = make([][]int32, ne)
	for i, e := range p.entries {
		start := len(flat)
		for _, j := range byCat[e.CategoryID] {
			if !hasBit(excluded, i*p.words, j) && !slices.Contains(conflicts[j], entryCo[i]) {
				flat = append(flat, j)
			}
		}
		p.elig[i] = flat[start:len(flat):len(flat)]
	}
	return p
}

// count adds the existing assignments to loads and entries' judges, and returns a bitset per
// entry of the judges it may not be given again: existing or blocked pairs.
func (p *planner) count(existing, blocked []Assignment) []uint64 {
	judgeIx := make(map[string]int32, len(p.judges))
	for i, id := range p.judges {
		judgeIx[id] = int32(i)
	}
	entryIx := make(map[string]int32, len(p.entries))
	for i, e := range p.entries {
		entryIx[e.ID] = int32(i)
	}
	excluded := make([]uint64, len(p.entries)*p.words)
	seen := make(map[Assignment]bool, len(existing))
	for _, a := range existing {
		if seen[a] {
			continue
		}
		seen[a] = true
		j, jok := judgeIx[a.JudgeID]
		e, eok := entryIx[a.EntryID]
		if jok {
			p.load[j]++
		}
		if eok {
			p.have[e]++
		}
		if jok && eok {
			setBit(excluded, int(e)*p.words, j)
		}
	}
	for _, a := range blocked {
		j, jok := judgeIx[a.JudgeID]
		e, eok := entryIx[a.EntryID]
		if jok && eok {
			setBit(excluded, int(e)*p.words, j)
		}
	}
	return excluded
}

// want is how many judges this call should add to entry e.
func (p *planner) want(e int32) int { return min(max(p.perEntry-p.have[e], 0), len(p.elig[e])) }

// fill gives each entry its new judges, each slot to the least loaded eligible judge (ties by
// id). Entries that need every eligible judge go first; the rest are interleaved across
// categories in proportion to their size, so that all judges' loads grow together.
func (p *planner) fill() {
	order := make([]int32, len(p.entries))
	at := make([]float64, len(p.entries)) // how far through its category's entries
	size, seen := map[string]int{}, map[string]int{}
	for _, e := range p.entries {
		size[e.CategoryID]++
	}
	for i, e := range p.entries {
		order[i] = int32(i)
		at[i] = (float64(seen[e.CategoryID]) + 0.5) / float64(size[e.CategoryID])
		seen[e.CategoryID]++
	}
	forced := func(e int32) int {
		if p.want(e) == len(p.elig[e]) {
			return 0
		}
		return 1
	}
	slices.SortFunc(order, func(a, b int32) int {
		return cmp.Or(cmp.Compare(forced(a), forced(b)), cmp.Compare(at[a], at[b]), cmp.Compare(a, b))
	})
	var pool []int64 // load<<32 | judge, so that a plain sort orders by load, then id
	for _, e := range order {
		pool = pool[:0]
		for _, j := range p.elig[e] {
			pool = append(pool, int64(p.load[j])<<32|int64(j))
		}
		slices.Sort(pool)
		for _, k := range pool[:p.want(e)] {
			j := int32(k & math.MaxUint32)
			p.add(e, j)
			p.load[j]++
		}
	}
}

// improve moves load along one alternating path from a judge with load ≥ t to one with load
// ≤ t−2, trying the highest t first, and reports whether it found one.
func (p *planner) improve() bool {
	if len(p.judges) == 0 {
		return false
	}
	hi, lo := slices.Max(p.load), slices.Min(p.load)
	for t := hi; t >= lo+2; t-- {
		if p.augment(t) {
			return true
		}
	}
	return false
}

// augment searches breadth first from every judge with load ≥ t through the entries this call
// gave them to judges who could take those entries instead, and applies the first path that
// reaches a judge with load ≤ t−2. Each entry is expanded once: its other holders reach the
// same judges.
func (p *planner) augment(t int) bool {
	nj := len(p.judges)
	if p.from == nil {
		p.from, p.via, p.seen = make([]int32, nj), make([]int32, nj), make([]uint32, len(p.entries))
	}
	p.gen++
	const unvisited, source = -2, -1
	p.queue = p.queue[:0]
	for j := range p.from {
		p.from[j] = unvisited
		if p.load[j] >= t && len(p.held[j]) > 0 {
			p.from[j] = source
			p.queue = append(p.queue, int32(j))
		}
	}
	for qi := 0; qi < len(p.queue); qi++ {
		j := p.queue[qi]
		for _, e := range p.held[j] {
			if p.seen[e] == p.gen {
				continue
			}
			p.seen[e] = p.gen
			for _, k := range p.elig[e] {
				if p.from[k] != unvisited || hasBit(p.on, int(e)*p.words, k) {
					continue
				}
				p.from[k], p.via[k] = j, e
				if p.load[k] <= t-2 {
					p.load[k]++
					for p.from[k] != source { // walk back: each giver hands its entry on
						giver, ent := p.from[k], p.via[k]
						p.remove(ent, giver)
						p.add(ent, k)
						k = giver
					}
					p.load[k]--
					return true
				}
				p.queue = append(p.queue, k)
			}
		}
	}
	return false
}

func (p *planner) add(e, j int32) {
	p.added[e] = append(p.added[e], j)
	p.held[j] = append(p.held[j], e)
	setBit(p.on, int(e)*p.words, j)
}

func (p *planner) remove(e, j int32) {
	i := slices.Index(p.added[e], j)
	p.added[e] = slices.Delete(p.added[e], i, i+1)
	i = slices.Index(p.held[j], e)
	p.held[j] = slices.Delete(p.held[j], i, i+1)
	p.on[int(e)*p.words+int(j)/64] &^= 1 << (j % 64)
}

func (p *planner) plan() AssignPlan {
	out := AssignPlan{Add: []Assignment{}, PerJudge: make(map[string]int, len(p.judges)), Unfilled: []string{}}
	for j, id := range p.judges {
		out.PerJudge[id] = p.load[j]
	}
	for e, entry := range p.entries {
		js := slices.Clone(p.added[e])
		slices.Sort(js)
		for _, j := range js {
			out.Add = append(out.Add, Assignment{JudgeID: p.judges[j], EntryID: entry.ID})
		}
		if p.have[e]+len(js) < p.perEntry {
			out.Unfilled = append(out.Unfilled, entry.ID)
		}
	}
	return out
}

func setBit(bits []uint64, row int, j int32) { bits[row+int(j)/64] |= 1 << (j % 64) }

func hasBit(bits []uint64, row int, j int32) bool { return bits[row+int(j)/64]&(1<<(j%64)) != 0 }
