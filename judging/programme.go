package judging

import (
	"errors"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// TallyMethod is how a category turns its judges' totals into an entry's result.
type TallyMethod string

// The tally methods a category may choose.
const (
	TallyMean        TallyMethod = "mean"
	TallyTrimmedMean TallyMethod = "trimmed_mean" // drop one highest and one lowest from 5 judges up
)

// Programme is the awards being run: its categories and deadlines.
type Programme struct {
	Name             string     `json:"name" yaml:"name"`
	Timezone         string     `json:"timezone" yaml:"timezone"`
	SubmissionsClose time.Time  `json:"submissions_close" yaml:"submissions_close"`
	JudgingClose     time.Time  `json:"judging_close" yaml:"judging_close"`
	CeremonyAt       time.Time  `json:"ceremony_at" yaml:"ceremony_at"`
	Categories       []Category `json:"categories" yaml:"categories"`
	// MaxEntriesPerExhibitor caps the entries (drafts included) one exhibitor may create;
	// 0 means DefaultMaxEntriesPerExhibitor.
	MaxEntriesPerExhibitor int `json:"max_entries_per_exhibitor,omitzero" yaml:"max_entries_per_exhibitor,omitempty"`
}

// Bounds of a programme's max_entries_per_exhibitor.
const (
	DefaultMaxEntriesPerExhibitor = 20
	maxEntriesPerExhibitorLimit   = 1000
)

// EntriesPerExhibitor is how many entries one exhibitor may create.
func (p *Programme) EntriesPerExhibitor() int {
	if p.MaxEntriesPerExhibitor == 0 {
		return DefaultMaxEntriesPerExhibitor
	}
	return p.MaxEntriesPerExhibitor
}

// Category is one award, scored against its own weighted criteria.
type Category struct {
	ID          string      `json:"id" yaml:"id"`
	Name        string      `json:"name" yaml:"name"`
	Description string      `json:"description" yaml:"description"`
	Tally       TallyMethod `json:"tally" yaml:"tally"`
	Criteria    []Criterion `json:"criteria" yaml:"criteria"`
}

// Criterion is one scored aspect of an entry; a score for it lies in [Min, Max].
type Criterion struct {
	ID     string  `json:"id" yaml:"id"`
	Name   string  `json:"name" yaml:"name"`
	Weight float64 `json:"weight" yaml:"weight"`
	Min    float64 `json:"min" yaml:"min"`
	Max    float64 `json:"max" yaml:"max"`
}

// Category returns the category with the given id.
func (p *Programme) Category(id string) (*Category, bool) {
	for i := range p.Categories {
		if p.Categories[i].ID == id {
			return &p.Categories[i], true
		}
	}
	return nil, false
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// ValidSlug reports whether s is a usable category or criterion id: lowercase words joined
// by hyphens, at most 64 characters.
func ValidSlug(s string) bool { return len(s) <= 64 && slugRE.MatchString(s) }

// Normalise fills defaults (tally "mean") in place.
func (p *Programme) Normalise() {
	for i := range p.Categories {
		if p.Categories[i].Tally == "" {
			p.Categories[i].Tally = TallyMean
		}
	}
}

// Bounds on a criterion's numbers: with them every weighted total is a finite number, so no
// stored tally can hold a NaN or an infinity.
const (
	maxBound  = 1e6  // |min| and |max|
	maxWeight = 1000 // 0 < weight ≤ maxWeight
)

// Validate checks the programme's rules and names the first field that breaks one (all
// 422 "invalid_programme"); it turns CRLFs in category descriptions into newlines.
func (p *Programme) Validate() error {
	err := p.validate()
	var e *Error
	if errors.As(err, &e) && e.Code != "invalid_programme" {
		return Invalidf("invalid_programme", "%s", e.Message)
	}
	return err
}

func (p *Programme) validate() error {
	if strings.TrimSpace(p.Name) == "" {
		return Invalidf("invalid_programme", "name is required")
	}
	if err := checkText("name", &p.Name, maxName, false); err != nil {
		return err
	}
	if p.Timezone == "" {
		return Invalidf("invalid_programme", "timezone is required")
	}
	if err := checkText("timezone", &p.Timezone, maxTimezone, false); err != nil {
		return err
	}
	if _, err := time.LoadLocation(p.Timezone); err != nil {
		return Invalidf("invalid_programme", "timezone %q is not an IANA time zone", p.Timezone)
	}
	for _, d := range []struct {
		name string
		t    time.Time
	}{{"submissions_close", p.SubmissionsClose}, {"judging_close", p.JudgingClose}, {"ceremony_at", p.CeremonyAt}} {
		if d.t.IsZero() {
			return Invalidf("invalid_programme", "%s is required", d.name)
		}
	}
	if p.JudgingClose.Before(p.SubmissionsClose) {
		return Invalidf("invalid_programme", "judging_close must not be before submissions_close")
	}
	if p.MaxEntriesPerExhibitor < 0 || p.MaxEntriesPerExhibitor > maxEntriesPerExhibitorLimit {
		return Invalidf("invalid_programme", "max_entries_per_exhibitor must be between 1 and %d (0 or absent: %d)",
			maxEntriesPerExhibitorLimit, DefaultMaxEntriesPerExhibitor)
	}
	if len(p.Categories) == 0 {
		return Invalidf("invalid_programme", "categories: at least one category is required")
	}
	if len(p.Categories) > maxCategories {
		return Invalidf("invalid_programme", "categories: at most %d", maxCategories)
	}
	seen := map[string]bool{}
	for i := range p.Categories {
		c := &p.Categories[i]
		at := func(f string) string { return "categories[" + strconv.Itoa(i) + "]." + f }
		if !ValidSlug(c.ID) {
			return Invalidf("invalid_programme", "%s: %.64q is not a slug (lowercase letters, digits and hyphens)", at("id"), c.ID)
		}
		if seen[c.ID] {
			return Invalidf("invalid_programme", "%s: %q appears twice", at("id"), c.ID)
		}
		seen[c.ID] = true
		if strings.TrimSpace(c.Name) == "" {
			return Invalidf("invalid_programme", "%s is required", at("name"))
		}
		err := checkTexts(
			func() error { return checkText(at("name"), &c.Name, maxName, false) },
			func() error { return checkText(at("description"), &c.Description, maxDescription, true) },
		)
		if err != nil {
			return err
		}
		if c.Tally != "" && c.Tally != TallyMean && c.Tally != TallyTrimmedMean {
			return Invalidf("invalid_programme", "%s: %.64q is not \"mean\" or \"trimmed_mean\"", at("tally"), c.Tally)
		}
		if len(c.Criteria) == 0 {
			return Invalidf("invalid_programme", "%s: at least one criterion is required", at("criteria"))
		}
		if len(c.Criteria) > maxCriteria {
			return Invalidf("invalid_programme", "%s: at most %d criteria", at("criteria"), maxCriteria)
		}
		crit := map[string]bool{}
		for j := range c.Criteria {
			k := &c.Criteria[j]
			cat := func(f string) string { return at("criteria[" + strconv.Itoa(j) + "]." + f) }
			if !ValidSlug(k.ID) {
				return Invalidf("invalid_programme", "%s: %.64q is not a slug", cat("id"), k.ID)
			}
			if crit[k.ID] {
				return Invalidf("invalid_programme", "%s: %q appears twice", cat("id"), k.ID)
			}
			crit[k.ID] = true
			if strings.TrimSpace(k.Name) == "" {
				return Invalidf("invalid_programme", "%s is required", cat("name"))
			}
			if err := checkText(cat("name"), &k.Name, maxName, false); err != nil {
				return err
			}
			if err := k.validate(cat); err != nil {
				return err
			}
		}
	}
	return nil
}

// validate checks a criterion's numbers; at names a field of it.
func (k *Criterion) validate(at func(string) string) error {
	switch {
	case !finite(k.Weight) || k.Weight <= 0 || k.Weight > maxWeight:
		return Invalidf("invalid_programme", "%s must be a number above 0 and at most %d", at("weight"), maxWeight)
	case !finite(k.Min) || math.Abs(k.Min) > maxBound:
		return Invalidf("invalid_programme", "%s must be a number between %g and %g", at("min"), -maxBound, maxBound)
	case !finite(k.Max) || math.Abs(k.Max) > maxBound:
		return Invalidf("invalid_programme", "%s must be a number between %g and %g", at("max"), -maxBound, maxBound)
	case k.Min >= k.Max:
		return Invalidf("invalid_programme", "%s and max: min must be below max", at("min"))
	}
	return nil
}

// sameScoring reports whether two versions of a category score alike: same tally and the same
// criteria (id, weight, min, max) in the same order. Names and descriptions may differ.
func sameScoring(a, b Category) bool {
	ta, tb := a.Tally, b.Tally
	if ta == "" {
		ta = TallyMean
	}
	if tb == "" {
		tb = TallyMean
	}
	if ta != tb || len(a.Criteria) != len(b.Criteria) {
		return false
	}
	for i := range a.Criteria {
		x, y := a.Criteria[i], b.Criteria[i]
		if x.ID != y.ID || x.Weight != y.Weight || x.Min != y.Min || x.Max != y.Max {
			return false
		}
	}
	return true
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
