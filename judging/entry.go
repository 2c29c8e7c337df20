package judging

import (
	"fmt"
	"net/url"
	"strings"
	"time"
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

// validate checks the input against the programme and names the first field that breaks a
// rule; it trims the title and turns CRLFs in the long texts into newlines.
func (in *EntryInput) validate(p *Programme) error {
	in.CategoryID = strings.TrimSpace(in.CategoryID)
	in.Title = strings.TrimSpace(in.Title)
	switch {
	case in.CategoryID == "":
		return Invalidf("missing_field", "category_id is required")
	case in.Title == "":
		return Invalidf("missing_field", "title is required")
	case len(in.Links) > maxLinks:
		return Invalidf("invalid_links", "links: at most %d", maxLinks)
	}
	err := checkTexts(
		func() error { return checkText("category_id", &in.CategoryID, maxSlug, false) },
		func() error { return checkText("title", &in.Title, maxTitle, false) },
		func() error { return checkText("summary", &in.Summary, maxSummary, true) },
		func() error { return checkText("description", &in.Description, maxDescription, true) },
	)
	if err != nil {
		return err
	}
	if _, ok := p.Category(in.CategoryID); !ok {
		return Invalidf("unknown_category", "category_id %q is not a category of the programme", in.CategoryID)
	}
	if in.Links == nil {
		in.Links = []string{}
	}
	for i := range in.Links {
		if err := checkText(fmt.Sprintf("links[%d]", i), &in.Links[i], maxLink, false); err != nil {
			return err
		}
		if !validLink(in.Links[i]) {
			return Invalidf("invalid_link", "links[%d] must be an http(s) URL", i)
		}
	}
	return nil
}

func validLink(s string) bool {
	if strings.ContainsAny(s, " \t\r\n") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil
}

// EntryFilter narrows a listing of entries.
type EntryFilter struct {
	CategoryID string
}
