package web

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/awards-dev/awards/judging"
)

func TestResultsTable(t *testing.T) {
	// GET /results.csv (admin) → one row per entry: place, the mean of each criterion, score
	// and judges; numbers at full precision, empty cells where there is nothing to show.
	score, third := 75.0, 1.0/3
	got := resultsTable(judging.ResultsExport{
		Criteria: []string{"innovation", "impact", "design"},
		Rows: []judging.ResultsExportRow{
			{CategoryID: "cyber", Category: "Cyber security", Rank: 1, Tie: true, EntryID: "e1", Title: "Alpha", Company: "Alpha Co",
				Country: "FR", Startup: true, Means: map[string]float64{"innovation": 7.5, "impact": third}, Score: &score, Judges: 2},
			{CategoryID: "cyber", Category: "Cyber security", EntryID: "e2", Title: "Delta", Company: "Delta Co", Country: "FR", Means: map[string]float64{}},
		},
	})
	want := [][]string{
		{"category_id", "category", "rank", "tie", "entry_id", "title", "company", "country", "startup",
			"mean_innovation", "mean_impact", "mean_design", "score", "judges"},
		{"cyber", "Cyber security", "1", "true", "e1", "Alpha", "Alpha Co", "FR", "true", "7.5", "0.3333333333333333", "", "75", "2"},
		{"cyber", "Cyber security", "", "false", "e2", "Delta", "Delta Co", "FR", "false", "", "", "", "", "0"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("results table (-want +got):\n%s", diff)
	}
}

func TestAuditTable(t *testing.T) {
	// GET /audit.csv (admin) → every score version, with the hash that chains it; a record
	// that cannot be read keeps its seq and hash.
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	old := judging.Score{Total: 75}
	got := auditTable([]judging.AuditExportRow{
		{AuditEvent: judging.AuditEvent{Seq: 1, At: at, By: "j1", Action: "score", CategoryID: "cyber", EntryID: "e1", JudgeID: "j1", Version: 1,
			New: &judging.Score{Total: 75, Scores: map[string]float64{"innovation": 10, "impact": 1}, Comment: "Good"}}, Hash: "h1"},
		{AuditEvent: judging.AuditEvent{Seq: 2, Action: judging.ActionUnreadable}, Hash: "h2"},
		{AuditEvent: judging.AuditEvent{Seq: 3, At: at, By: "admin", Action: "withdraw", Reason: "unassigned", CategoryID: "cyber", EntryID: "e1", JudgeID: "j2", Old: &old}, Hash: "h3"},
	})
	want := [][]string{
		{"seq", "at", "by", "action", "reason", "category_id", "entry_id", "judge_id", "version", "old_total", "new_total", "scores", "comment", "hash"},
		{"1", "2026-03-02T09:00:00.000Z", "j1", "score", "", "cyber", "e1", "j1", "1", "", "75", `{"impact":1,"innovation":10}`, "Good", "h1"},
		{"2", "", "", "unreadable", "", "", "", "", "", "", "", "", "", "h2"},
		{"3", "2026-03-02T09:00:00.000Z", "admin", "withdraw", "unassigned", "cyber", "e1", "j2", "", "75", "", "", "", "h3"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("audit table (-want +got):\n%s", diff)
	}
}
