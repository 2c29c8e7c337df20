package judging

import "context"

// ResultsExport returns, for an admin, every category's ranking of its submitted entries with
// the mean of each criterion over the counting scores.
func (s *Service) ResultsExport(ctx context.Context, a Actor) (ResultsExport, error) {
	if err := requireRole(a, RoleAdmin); err != nil {
		return ResultsExport{}, err
	}
	p, _, err := s.programme(ctx)
	if err != nil {
		return ResultsExport{}, err
	}
	es, err := s.entries.Entries(ctx, EntryScope{})
	if err != nil {
		return ResultsExport{}, err
	}
	byID := map[string]Entry{}
	refs := map[string][]EntryRef{}
	for _, e := range es {
		if e.Status == StatusSubmitted {
			byID[e.ID] = e
			refs[e.CategoryID] = append(refs[e.CategoryID], EntryRef{ID: e.ID, Title: e.Title, Company: e.Company})
		}
	}
	var out ResultsExport
	seen := map[string]bool{}
	for _, c := range p.Categories {
		for _, k := range c.Criteria {
			if !seen[k.ID] {
				seen[k.ID] = true
				out.Criteria = append(out.Criteria, k.ID)
			}
		}
	}
	for _, c := range p.Categories {
		scores, err := s.scores.CategoryScores(ctx, c.ID)
		if err != nil {
			return ResultsExport{}, err
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
			means := map[string]float64{}
			if r.Judges > 0 {
				for _, k := range c.Criteria {
					means[k.ID] = sums[e.ID][k.ID] / float64(r.Judges)
				}
			}
			out.Rows = append(out.Rows, ResultsExportRow{
				CategoryID: c.ID, Category: c.Name, Rank: r.Rank, Tie: r.Tie,
				EntryID: e.ID, Title: e.Title, Company: e.Company, Country: e.Country, Startup: e.Startup,
				Means: means, Score: r.Score, Judges: r.Judges,
			})
		}
	}
	return out, nil
}

// AuditExport returns, for an admin, every score version given or withdrawn, oldest first,
// each with its hash; a record that cannot be read is still listed.
func (s *Service) AuditExport(ctx context.Context, a Actor) ([]AuditExportRow, error) {
	if err := requireRole(a, RoleAdmin); err != nil {
		return nil, err
	}
	recs, err := s.audit.Audit(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]AuditExportRow, 0, len(recs))
	for _, r := range recs {
		ev, err := decodeAuditEvent(r.Payload)
		if err != nil { // a score stored by a version that allowed a non-finite total
			ev = AuditEvent{Action: ActionUnreadable}
			ev.Seq, _ = auditSeq(r.Payload)
		}
		out = append(out, AuditExportRow{AuditEvent: ev, Hash: r.Hash})
	}
	return out, nil
}
