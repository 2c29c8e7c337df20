package judging

import "context"

// EventType names what changed.
type EventType string

// The events the service publishes after a state change is stored.
const (
	EventTally     EventType = "tally"     // a category's counting scores changed
	EventProgress  EventType = "progress"  // a category's assignments or scored count changed
	EventReveal    EventType = "reveal"    // a category was revealed, wholly or one more place
	EventEntry     EventType = "entry"     // an entry was created, edited or submitted
	EventProgramme EventType = "programme" // the programme changed
	EventPoll      EventType = "poll"      // a poll's counts or status changed
	EventAccount   EventType = "account"   // an account was deleted or revoked: close its live connections
)

// Event says what changed, never the results themselves: the live feed reads the state and
// seals it per role, so an event can go to every instance without leaking anything.
type Event struct {
	Type       EventType `json:"type"`
	CategoryID string    `json:"category_id,omitempty"`
	EntryID    string    `json:"entry_id,omitempty"`
	PollID     string    `json:"poll_id,omitempty"`
	UserID     string    `json:"user_id,omitempty"`
}

// Publisher announces state changes (to every instance, through the store's pub/sub).
type Publisher interface {
	Publish(ctx context.Context, e Event) error
}

// PublisherFunc adapts a function to Publisher.
type PublisherFunc func(ctx context.Context, e Event) error

// Publish calls f.
func (f PublisherFunc) Publish(ctx context.Context, e Event) error { return f(ctx, e) }
