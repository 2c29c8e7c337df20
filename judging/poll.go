package judging

// PollStatus is where an audience poll is in its life: a draft, open for votes, then closed.
type PollStatus string

// The poll statuses.
const (
	PollDraft  PollStatus = "draft"
	PollOpen   PollStatus = "open"
	PollClosed PollStatus = "closed"
)

// Poll is an audience (people's choice) vote among entries, with its public counts.
type Poll struct {
	ID       string           `json:"id"`
	Title    string           `json:"title"`
	Status   PollStatus       `json:"status"`
	EntryIDs []string         `json:"entry_ids"`
	Counts   map[string]int64 `json:"counts"` // entry id → votes; every entry of the poll, 0 included
	Total    int64            `json:"total"`
}
