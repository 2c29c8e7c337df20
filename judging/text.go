package judging

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on text fields, in characters (runes); a password is limited in bytes. Where the
// contract names no limit, the bound is one no honest input comes near: names of people,
// companies, categories and criteria ≤ 200, a country ≤ 64, ≤ 50 affiliations, ≤ 100
// categories per programme and per judge, ≤ 50 criteria per category.
const (
	maxEmail        = 254
	maxPasswordLen  = 1024 // bytes
	maxName         = 200  // a person, a company, a screen, a programme, a category, a criterion
	maxCountry      = 64
	maxTimezone     = 64
	maxSlug         = 64 // a category or criterion id
	maxTitle        = 200
	maxSummary      = 1000
	maxDescription  = 20000 // an entry's or a category's description
	maxComment      = 20000
	maxLinks        = 10
	maxLink         = 2000
	maxAffiliations = 50
	maxCategories   = 100 // in a programme, and in one judge's list
	maxCriteria     = 50  // per category
)

// checkText checks one text field (valid UTF-8, no control characters, at most maxRunes
// characters; multiline text may hold newlines and tabs) and turns its CRLFs into newlines.
func checkText(field string, s *string, maxRunes int, multiline bool) error {
	t := *s
	if !utf8.ValidString(t) {
		return Invalidf("invalid_text", "%s is not valid UTF-8", field)
	}
	if multiline && strings.Contains(t, "\r\n") {
		t = strings.ReplaceAll(t, "\r\n", "\n")
	}
	for _, r := range t {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\t')) {
			return Invalidf("invalid_text", "%s must not contain control characters (here U+%04X)", field, r)
		}
	}
	if n := utf8.RuneCountInString(t); n > maxRunes {
		return Invalidf("too_long", "%s must be at most %d characters (it has %d)", field, maxRunes, n)
	}
	*s = t
	return nil
}

// checkTexts runs checkText over several fields in order and returns the first error.
func checkTexts(checks ...func() error) error {
	for _, c := range checks {
		if err := c(); err != nil {
			return err
		}
	}
	return nil
}
