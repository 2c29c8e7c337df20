package judging

import (
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// EntryStatus is where an entry is in its life: a draft the owner edits, then submitted.
type EntryStatus string

// The entry statuses.
const (
	StatusDraft     EntryStatus = "draft"
	StatusSubmitted EntryStatus = "submitted"
)

// Entry is an exhibitor's application to one category.
type Entry struct {
	ID          string      `json:"id"`
	CategoryID  string      `json:"category_id"`
	Title       string      `json:"title"`
	Summary     string      `json:"summary"`
	Description string      `json:"description"`
	Links       []string    `json:"links"`
	Status      EntryStatus `json:"status"`
	OwnerID     string      `json:"owner_id"`
	Company     string      `json:"company"`
	Country     string      `json:"country"`
	Startup     bool        `json:"startup"`
	CreatedAt   time.Time   `json:"created_at"`
	UpdatedAt   time.Time   `json:"updated_at"`
	SubmittedAt *time.Time  `json:"submitted_at,omitempty"`
}

// EntryInput is what an exhibitor writes: the editable fields of an entry.
type EntryInput struct {
	CategoryID  string
	Title       string
	Summary     string
	Description string
	Links       []string
}

// Limits on entry fields, so one entry cannot fill the store.
const (
	maxTitle       = 200
	maxSummary     = 2000
	maxDescription = 20000
	maxLinks       = 20
	maxLink        = 2048
)

// validate checks the input against the programme and names the first field that breaks a rule.
func (in *EntryInput) validate(p *Programme) error {
	in.CategoryID = strings.TrimSpace(in.CategoryID)
	in.Title = strings.TrimSpace(in.Title)
	switch {
	case in.CategoryID == "":
		return Invalidf("missing_field", "category_id is required")
	case in.Title == "":
		return Invalidf("missing_field", "title is required")
	case utf8.RuneCountInString(in.Title) > maxTitle:
		return Invalidf("invalid_title", "title must be at most %d characters", maxTitle)
	case utf8.RuneCountInString(in.Summary) > maxSummary:
		return Invalidf("invalid_summary", "summary must be at most %d characters", maxSummary)
	case utf8.RuneCountInString(in.Description) > maxDescription:
		return Invalidf("invalid_description", "description must be at most %d characters", maxDescription)
	case len(in.Links) > maxLinks:
		return Invalidf("invalid_links", "links: at most %d", maxLinks)
	}
	if _, ok := p.Category(in.CategoryID); !ok {
		return Invalidf("unknown_category", "category_id %q is not a category of the programme", in.CategoryID)
	}
	if in.Links == nil {
		in.Links = []string{}
	}
	for i, l := range in.Links {
		if !validLink(l) {
			return Invalidf("invalid_link", "links[%d] must be an http(s) URL", i)
		}
	}
	return nil
}

func validLink(s string) bool {
	if len(s) > maxLink || strings.ContainsAny(s, " \t\r\n") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil
}

// EntryFilter narrows a listing of entries.
type EntryFilter struct {
	CategoryID string
}
