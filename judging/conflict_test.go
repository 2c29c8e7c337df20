package judging

import "testing"

func TestCompanyKey(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"case folded", "ACME Robotics", "acme robotics"},
		{"trimmed", "  Acme\t\n", "acme"},
		{"inner runs of white space collapsed to one space", "Acme \t  Robotics", "acme robotics"},
		{"a non-breaking space is white space too", "Acme\u00a0Robotics", "acme robotics"},
		{"full case folding: STRASSE and straße share a key", "Straße AG", "strasse ag"},
		{"only white space is the blank key", " \t ", ""},
		{"punctuation is kept", "Acme, Inc.", "acme, inc."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, want := CompanyKey(tc.in), tc.want; got != want {
				t.Fatalf("CompanyKey(%q) = %q, want %q", tc.in, got, want)
			}
		})
	}
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
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, want := Conflicted(tc.affiliations, tc.company), tc.want; got != want {
				t.Fatalf("Conflicted(%q, %q) = %v, want %v", tc.affiliations, tc.company, got, want)
			}
		})
	}
}
