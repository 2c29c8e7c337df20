package judging

import "testing"

// lookalikes are pairs of names that must share a key, and pairs that must not: the rule that
// emails and company names are compared after NFKC, case folding, removal of invisible
// characters and collapsing of spaces, with confusable look-alikes (UTS #39) counting as one.
var lookalikes = []struct {
	name string
	a, b string
	same bool
}{
	{"case folded", "ACME Robotics", "acme robotics", true},
	{"trimmed", "  Acme\t\n", "acme", true},
	{"inner runs of white space collapsed to one space", "Acme \t  Robotics", "acme robotics", true},
	{"a tab between words is a space", "Acme\tRobotics", "Acme Robotics", true},
	{"a non-breaking space is white space too", "Acme\u00a0Robotics", "acme robotics", true},
	{"full case folding: STRASSE and straße share a key", "Straße AG", "STRASSE AG", true},
	{"punctuation is kept", "Acme, Inc.", "acme, inc.", true},
	{"a zero-width space (invisible) is removed", "Argonce Cyber\u200b", "ARGONCE CYBER", true},
	{"a zero-width joiner inside a word is removed", "Argon\u200dce Cyber", "Argonce Cyber", true},
	{"a soft hyphen is removed", "Argon\u00adce", "Argonce", true},
	{"a variation selector is removed", "Argonce\ufe0f Cyber", "Argonce Cyber", true},
	{"a Hangul filler (default-ignorable) is removed", "Argonce\u3164", "Argonce", true},
	{"a right-to-left mark is removed", "\u200fArgonce", "Argonce", true},
	{"an embedded NUL (control character) is removed", "Argonce\x00 Cyber", "Argonce Cyber", true},
	{"NFD and NFC forms are one name", "fu\u0308r Sicherheit", "für Sicherheit", true},
	{"fullwidth letters are their ASCII look-alikes (NFKC)", "ＡＲＧＯＮＣＥ", "Argonce", true},
	{"a Cyrillic capital A looks like a Latin A (UTS #39)", "Аrgonce", "Argonce", true},
	{"a Cyrillic small a looks like a Latin a", "\u0430rgonce cyber", "Argonce Cyber", true},
	{"a Greek capital alpha looks like a Latin A", "Αrgonce", "Argonce", true},
	{"a digit zero looks like the letter O, in either case", "G00GLE", "google", true},
	{"non-breaking and figure spaces collapse like spaces", "Argonce\u00a0\u2007 Cyber", "Argonce Cyber", true},
	{"only white space and invisibles is the blank key", " \t\u200b\u00a0", "", true},

	{"another word makes another company", "Argonce Cyber", "Argonce Cyber Labs", false},
	{"one letter changed is another company", "Safran", "Safron", false},
	{"m and n are different letters", "Acme", "Acne", false},
	{"a space inside a word matters", "Argon Ce", "Argonce", false},
	{"an accent that is really there matters", "Thalès", "Thales", false},
}

func TestCompanyKey(t *testing.T) {
	for _, tc := range lookalikes {
		t.Run(tc.name, func(t *testing.T) {
			ka, kb := CompanyKey(tc.a), CompanyKey(tc.b)
			if got := ka == kb; got != tc.same {
				t.Fatalf("CompanyKey(%+q) = %+q, CompanyKey(%+q) = %+q: same = %v, want %v", tc.a, ka, tc.b, kb, got, tc.same)
			}
		})
	}
	t.Run("blank names have the blank key", func(t *testing.T) {
		// A blank company names nobody.
		for _, s := range []string{"", " ", "\u200b", "\u00a0\u3000"} {
			if got := CompanyKey(s); got != "" {
				t.Errorf("CompanyKey(%+q) = %+q, want \"\"", s, got)
			}
		}
	})
}

func TestConflicted(t *testing.T) {
	for _, tc := range []struct {
		name         string
		affiliations []string
		company      string
		want         bool
	}{
		{"never a judge whose affiliations match the entry's company (case and spacing ignored)", []string{"Other", " acme   ROBOTICS "}, "Acme Robotics", true},
		{"an exact match is a conflict", []string{"Acme"}, "Acme", true},
		{"a different company is no conflict", []string{"Acme"}, "Acme Robotics", false},
		{"a judge with no affiliations has no conflict", nil, "Acme", false},
		{"a blank company conflicts with nobody", []string{"", "  "}, " ", false},
		{"a blank affiliation conflicts with nobody", []string{""}, "Acme", false},
		{"an invisible character does not dodge a conflict", []string{"ARGONCE CYBER"}, "Argonce Cyber\u200b", true},
		{"a Cyrillic look-alike does not dodge a conflict", []string{"ARGONCE CYBER"}, "\u0410rgonce Cyber", true},
		{"fullwidth letters do not dodge a conflict", []string{"ARGONCE CYBER"}, "ＡＲＧＯＮＣＥ ＣＹＢＥＲ", true},
		{"an invisible company conflicts with nobody", []string{"\u200b"}, "\u200b", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, want := Conflicted(tc.affiliations, tc.company), tc.want; got != want {
				t.Fatalf("Conflicted(%q, %q) = %v, want %v", tc.affiliations, tc.company, got, want)
			}
		})
	}
}

func TestEmailKey(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b string
		same bool
	}{
		{"case does not make another email", "Admin@Awards.Test", "admin@awards.test", true},
		{"surrounding spaces are trimmed", "  admin@awards.test ", "admin@awards.test", true},
		{"a zero-width space does not make another email", "admin@awards.test\u200b", "admin@awards.test", true},
		{"a soft hyphen does not make another email", "ad\u00admin@awards.test", "admin@awards.test", true},
		{"a Cyrillic а in the local part is a look-alike", "\u0430dmin@awards.test", "admin@awards.test", true},
		{"a Cyrillic а in the domain is a look-alike", "admin@\u0430wards.test", "admin@awards.test", true},
		{"fullwidth letters are a look-alike", "ａｄｍｉｎ@awards.test", "admin@awards.test", true},
		{"another local part is another email", "admin2@awards.test", "admin@awards.test", false},
		{"another domain is another email", "admin@awards.example", "admin@awards.test", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ka, kb := EmailKey(tc.a), EmailKey(tc.b)
			if got := ka == kb; got != tc.same {
				t.Fatalf("EmailKey(%+q) = %+q, EmailKey(%+q) = %+q: same = %v, want %v", tc.a, ka, tc.b, kb, got, tc.same)
			}
		})
	}
}
