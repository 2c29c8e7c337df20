package judging

// ResultsExport is the results table an admin downloads: the criteria that have a column of
// means, then one row per submitted entry of every category, in ranking order.
type ResultsExport struct {
	Criteria []string // the union of the programme's criterion ids, in programme order
	Rows     []ResultsExportRow
}

// ResultsExportRow is one submitted entry's line of the results export.
type ResultsExportRow struct {
	CategoryID string
	Category   string // the category's name
	Rank       int    // 0 for an entry no judge has scored
	Tie        bool
	EntryID    string
	Title      string
	Company    string
	Country    string
	Startup    bool
	Means      map[string]float64 // criterion id → mean over the counting scores; absent if none
	Score      *float64           // nil for an entry no judge has scored
	Judges     int
}

// AuditExportRow is one record of the audit trail as exported: its event and the hash that
// chains it. A record that cannot be read has only its Seq (0 if unknown), its Hash and the
// action "unreadable".
type AuditExportRow struct {
	AuditEvent
	Hash string
}

// ActionUnreadable is the action of an exported audit record whose payload cannot be read.
const ActionUnreadable = "unreadable"
