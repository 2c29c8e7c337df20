package judging

import (
	"strings"

	"golang.org/x/text/cases"
)

// CompanyKey canonicalises a company name for conflict checks: case folded, trimmed, inner runs of white space collapsed to one space.
//
// Folding is Unicode full case folding (so "STRASSE" and "straße" share a key) and white
// space is any Unicode space, so a non-breaking space pasted from a brochure still counts.
func CompanyKey(s string) string {
	// A Caser keeps state, so each call makes its own rather than sharing one between goroutines.
	return strings.Join(strings.Fields(cases.Fold().String(s)), " ")
}

// Conflicted reports whether any affiliation names the company (after CompanyKey on both).
//
// A blank company or a blank affiliation names nobody, so it never conflicts.
func Conflicted(affiliations []string, company string) bool {
	c := CompanyKey(company)
	if c == "" {
		return false
	}
	for _, a := range affiliations {
		if CompanyKey(a) == c {
			return true
		}
	}
	return false
}
