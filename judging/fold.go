package judging

import (
	"strings"
	"unicode"

	"github.com/mtibben/confusables"
	"golang.org/x/text/cases"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// ignorable holds the default-ignorable code points: format characters such as U+200B or a
// soft hyphen, variation selectors, Hangul fillers. They do not show.
var ignorable = runes.Predicate(func(r rune) bool {
	return unicode.In(r, unicode.Other_Default_Ignorable_Code_Point, unicode.Cf, unicode.Variation_Selector)
})

// invisible is ignorable plus the control characters that are not white space (a tab
// separates words like a space does).
var invisible = runes.Predicate(func(r rune) bool {
	return ignorable.Contains(r) || unicode.IsControl(r) && !unicode.IsSpace(r)
})

// foldKey is the form two names share when a person would read them as the same name: a key
// for comparing, never a name to show.
func foldKey(s string) string {
	// NFKC, full case folding, invisible characters removed, confusable look-alikes mapped to
	// one prototype (the UTS #39 skeleton, then folded again so that "0" and "o" meet too) and
	// runs of white space collapsed to one space. A Caser and a transform.Chain keep state, so each call makes its own.
	t := transform.Chain(norm.NFKC, cases.Fold(), norm.NFKC, runes.Remove(invisible))
	folded, _, err := transform.String(t, s)
	if err != nil { // these transformers report no errors; keep the input rather than lose it
		folded = s
	}
	key := cases.Fold().String(confusables.Skeleton(folded))
	return strings.Join(strings.FieldsFunc(key, unicode.IsSpace), " ")
}

// CleanEmail is the form an email is stored in: trimmed, NFKC-normalised (fullwidth letters
// become ASCII) and without default-ignorable characters. Control characters are left for
// checkText to refuse.
func CleanEmail(s string) string {
	c, _, err := transform.String(transform.Chain(norm.NFKC, runes.Remove(ignorable)), s)
	if err != nil {
		c = s
	}
	return strings.TrimSpace(c)
}
