package judging

import (
	"context"
	"encoding/json"
	"strconv"
)

// ResultsCSV returns, for an admin, one row per submitted entry of every category: its
// place, the mean of each criterion over its counting scores, its score and judge count.
// Criterion columns are the union of the programme's criterion ids, empty where a category
// has no such criterion.
func (s *Service) ResultsCSV(ctx context.Context, a Actor) ([][]string, error) {
	if err := requireRole(a, RoleAdmin); err != nil {
		return nil, err
	}
	p, _, err := s.programme(ctx)
	if err != nil {
		return nil, err
	}
	es, err := s.entries.Entries(ctx, EntryScope{})
	if err != nil {
		return nil, err
	}
	byID := map[string]Entry{}
	refs := map[string][]EntryRef{}
	for _, e := range es {
		if e.Status == StatusSubmitted {
			byID[e.ID] = e
			refs[e.CategoryID] = append(refs[e.CategoryID], EntryRef{ID: e.ID, Title: e.Title, Company: e.Company})
		}
	}
	var crit []string
	seen := map[string]bool{}
	for _, c := range p.Categories {
		for _, k := range c.Criteria {
			if !seen[k.ID] {
				seen[k.ID] = true
				crit = append(crit, k.ID)
			}
		}
	}
	header := []string{"category_id", "category", "rank", "tie", "entry_id", "title", "company", "country", "startup"}
	for _, k := range crit {
		header = append(header, "mean_"+k)
	}
	out := [][]string{append(header, "score", "judges")}
	for _, c := range p.Categories {
		scores, err := s.scores.CategoryScores(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		sums := map[string]map[string]float64{}
		totals := make([]JudgeTotal, 0, len(scores))
		for _, sc := range scores {
			totals = append(totals, JudgeTotal{EntryID: sc.EntryID, JudgeID: sc.JudgeID, CategoryID: c.ID, Total: sc.Total})
			if sums[sc.EntryID] == nil {
				sums[sc.EntryID] = map[string]float64{}
			}
			for k, v := range sc.Scores {
				sums[sc.EntryID][k] += v
			}
		}
		for _, r := range Tally(c, refs[c.ID], totals) {
			e := byID[r.EntryID]
			row := []string{c.ID, c.Name, "", strconv.FormatBool(r.Tie), e.ID, e.Title, e.Company, e.Country, strconv.FormatBool(e.Startup)}
			if r.Rank > 0 {
				row[2] = strconv.Itoa(r.Rank)
			}
			for _, k := range crit {
				v := ""
				if hasCriterion(&c, k) && r.Judges > 0 {
					v = formatFloat(sums[e.ID][k] / float64(r.Judges))
				}
				row = append(row, v)
			}
			score := ""
			if r.Score != nil {
				score = formatFloat(*r.Score)
			}
			out = append(out, append(row, score, strconv.Itoa(r.Judges)))
		}
	}
	return out, nil
}

// AuditCSV returns, for an admin, every score version given or withdrawn, oldest first; a
// record that cannot be read is a row with its seq, its hash and the action "unreadable".
func (s *Service) AuditCSV(ctx context.Context, a Actor) ([][]string, error) {
	if err := requireRole(a, RoleAdmin); err != nil {
		return nil, err
	}
	recs, err := s.audit.Audit(ctx)
	if err != nil {
		return nil, err
	}
	out := [][]string{{"seq", "at", "by", "action", "reason", "category_id", "entry_id", "judge_id", "version", "old_total", "new_total", "scores", "comment", "hash"}}
	for _, r := range recs {
		ev, err := decodeAuditEvent(r.Payload)
		if err != nil { // a score stored by a version that allowed a non-finite total
			row := make([]string, 14)
			row[3], row[13] = "unreadable", r.Hash
			if seq, ok := auditSeq(r.Payload); ok {
				row[0] = strconv.FormatInt(seq, 10)
			}
			out = append(out, row)
			continue
		}
		row := []string{strconv.FormatInt(ev.Seq, 10), ev.At.Format("2006-01-02T15:04:05.000Z07:00"), ev.By, ev.Action, ev.Reason,
			ev.CategoryID, ev.EntryID, ev.JudgeID, "", "", "", "", "", r.Hash}
		if ev.Version > 0 {
			row[8] = strconv.Itoa(ev.Version)
		}
		if ev.Old != nil {
			row[9] = formatFloat(ev.Old.Total)
		}
		if ev.New != nil {
			row[10] = formatFloat(ev.New.Total)
			b, _ := json.Marshal(ev.New.Scores)
			row[11], row[12] = string(b), ev.New.Comment
		}
		out = append(out, row)
	}
	return out, nil
}

// formatFloat writes the shortest decimal that reads back as exactly f: exports lose nothing.
func formatFloat(f float64) string {
	if f == 0 {
		return "0"
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}
