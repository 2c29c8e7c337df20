package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/awards-dev/awards/judging"
)

// milipolCategories are the ids and names of the Milipol Innovation Awards 2023 categories,
// which --demo and config/milipol-2023.yaml must keep exactly.
var milipolCategories = []struct{ id, name string }{
	{"cyber-security", "Cyber security"},
	{"large-event-security", "Large event security management"},
	{"first-responder-protection", "Individual equipment / first responder protection"},
	{"drones-robotics", "Drone / counter-drone systems and robotics"},
	{"crisis-management", "Crisis management"},
	{"csr", "Corporate social responsibility"},
}

func TestMilipol2023(t *testing.T) {
	p := Milipol2023()

	t.Run("OK", func(t *testing.T) {
		// The embedded programme keeps every programme rule.
		if err := p.Validate(); err != nil {
			t.Fatalf("Validate: %v", err)
		}
	})
	t.Run("Categories", func(t *testing.T) {
		// Its categories (ids and names) are those of the Milipol Innovation Awards 2023.
		if got, want := len(p.Categories), len(milipolCategories); got != want {
			t.Fatalf("%d categories, want %d", got, want)
		}
		for i, want := range milipolCategories {
			if c := p.Categories[i]; c.ID != want.id || c.Name != want.name {
				t.Errorf("category %d = %q %q, want %q %q", i, c.ID, c.Name, want.id, want.name)
			}
		}
	})
	t.Run("Ceremony", func(t *testing.T) {
		// The ceremony is on Tuesday 14 November 2023 at 14:00 Paris time.
		paris, err := time.LoadLocation("Europe/Paris")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := p.Timezone, "Europe/Paris"; got != want {
			t.Fatalf("timezone %q, want %q", got, want)
		}
		want := time.Date(2023, time.November, 14, 14, 0, 0, 0, paris)
		if !p.CeremonyAt.Equal(want) {
			t.Fatalf("ceremony_at %v, want %v", p.CeremonyAt, want)
		}
		if !p.SubmissionsClose.Before(p.JudgingClose) || !p.JudgingClose.Before(p.CeremonyAt) {
			t.Fatalf("dates out of order: %v, %v, %v", p.SubmissionsClose, p.JudgingClose, p.CeremonyAt)
		}
	})
	t.Run("Criteria", func(t *testing.T) {
		// Each category has 3 to 4 criteria with weights that differ; some use the trimmed mean.
		trimmed := 0
		for _, c := range p.Categories {
			if c.Description == "" {
				t.Errorf("%s has no description", c.ID)
			}
			if n := len(c.Criteria); n < 3 || n > 4 {
				t.Errorf("%s has %d criteria, want 3 or 4", c.ID, n)
			}
			weights := map[float64]bool{}
			for _, k := range c.Criteria {
				weights[k.Weight] = true
			}
			if len(weights) < 2 {
				t.Errorf("%s: all criteria weigh the same", c.ID)
			}
			if c.Tally == judging.TallyTrimmedMean {
				trimmed++
			}
		}
		if trimmed < 1 || trimmed > 2 {
			t.Errorf("%d categories use trimmed_mean, want 1 or 2", trimmed)
		}
	})
	t.Run("FreshCopy", func(t *testing.T) {
		// Each call returns its own copy: changing one does not change the next.
		q := Milipol2023()
		q.Categories[0].Criteria[0].Weight = 99
		if Milipol2023().Categories[0].Criteria[0].Weight == 99 {
			t.Fatal("Milipol2023 shares its categories between calls")
		}
	})
}

// writeProgramme writes YAML to a file in a temporary folder and returns its path.
func writeProgramme(t testing.TB, yaml string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "programme.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

const smallProgramme = `name: Small awards
timezone: Europe/Paris
submissions_close: 2030-10-01T23:59:59+02:00
judging_close: 2030-11-01T18:00:00+01:00
ceremony_at: 2030-11-02T14:00:00+01:00
categories:
  - id: cyber
    name: Cyber
    criteria:
      - {id: innovation, name: Innovation, weight: 1, min: 0, max: 10}
`

func TestLoadProgramme(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		// The Milipol file on disk loads to the embedded programme.
		p, err := LoadProgramme(writeProgramme(t, string(milipol2023YAML)))
		if err != nil {
			t.Fatalf("LoadProgramme: %v", err)
		}
		if diff := cmp.Diff(Milipol2023(), p); diff != "" {
			t.Fatalf("programme (-embedded +file):\n%s", diff)
		}
	})
	t.Run("OKDefaults", func(t *testing.T) {
		// tally: "mean" (default).
		p, err := LoadProgramme(writeProgramme(t, smallProgramme))
		if err != nil {
			t.Fatalf("LoadProgramme: %v", err)
		}
		if got, want := p.Categories[0].Tally, judging.TallyMean; got != want {
			t.Fatalf("tally %q, want %q", got, want)
		}
		if got, want := p.EntriesPerExhibitor(), 20; got != want {
			t.Fatalf("entries per exhibitor %d, want %d", got, want)
		}
	})
	t.Run("OKMaxEntries", func(t *testing.T) {
		// max_entries_per_exhibitor sets the cap on entries per exhibitor.
		p, err := LoadProgramme(writeProgramme(t, "max_entries_per_exhibitor: 5\n"+smallProgramme))
		if err != nil {
			t.Fatalf("LoadProgramme: %v", err)
		}
		if got, want := p.EntriesPerExhibitor(), 5; got != want {
			t.Fatalf("entries per exhibitor %d, want %d", got, want)
		}
	})

	tests := []struct {
		name    string
		yaml    string
		wantErr string
	}{
		{
			name:    "ErrUnknownField: a field the programme does not have is an error",
			yaml:    strings.Replace(smallProgramme, "timezone:", "venue: Villepinte\ntimezone:", 1),
			wantErr: "field venue not found",
		},
		{
			name:    "ErrUnknownCriterionField: unknown fields are errors at every depth",
			yaml:    strings.Replace(smallProgramme, "weight: 1,", "weight: 1, scale: 5,", 1),
			wantErr: "field scale not found",
		},
		{
			name:    "ErrRule: judging_close must not be before submissions_close",
			yaml:    strings.Replace(smallProgramme, "judging_close: 2030-11-01", "judging_close: 2030-09-01", 1),
			wantErr: "judging_close must not be before submissions_close",
		},
		{
			name:    "ErrRule: a criterion's min must be below its max",
			yaml:    strings.Replace(smallProgramme, "min: 0, max: 10", "min: 10, max: 0", 1),
			wantErr: "categories[0].criteria[0].min and max: min must be below max",
		},
		{
			name:    "ErrRule: tally is mean or trimmed_mean",
			yaml:    strings.Replace(smallProgramme, "    name: Cyber\n", "    name: Cyber\n    tally: median\n", 1),
			wantErr: `categories[0].tally: "median" is not "mean" or "trimmed_mean"`,
		},
		{
			name:    "ErrRule: max_entries_per_exhibitor is 1 to 1000",
			yaml:    "max_entries_per_exhibitor: 1001\n" + smallProgramme,
			wantErr: "max_entries_per_exhibitor must be between 1 and 1000",
		},
		{
			name:    "ErrSyntax: a date that is not a date",
			yaml:    strings.Replace(smallProgramme, "2030-11-02T14:00:00+01:00", "next Tuesday", 1),
			wantErr: "yaml:",
		},
		{
			name:    "ErrEmpty: an empty file is no programme",
			yaml:    "",
			wantErr: "the file is empty",
		},
		{
			name:    "ErrTwoDocuments: one file, one programme",
			yaml:    smallProgramme + "---\n" + smallProgramme,
			wantErr: "more than one YAML document",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeProgramme(t, tt.yaml)
			_, err := LoadProgramme(path)
			if err == nil {
				t.Fatalf("LoadProgramme: no error, want %q", tt.wantErr)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.wantErr) {
				t.Fatalf("LoadProgramme error:\n got %q\nwant %q", msg, tt.wantErr)
			}
			if !strings.HasPrefix(msg, "config: programme "+path+": ") || strings.Contains(msg, "\n") {
				t.Fatalf("LoadProgramme error %q: want one line naming the file", msg)
			}
		})
	}

	t.Run("ErrRuleKind", func(t *testing.T) {
		// A broken rule stays a judging.Error of kind Invalid, so an API caller could map it to 422.
		_, err := LoadProgramme(writeProgramme(t, strings.Replace(smallProgramme, "weight: 1", "weight: 0", 1)))
		if got, want := judging.ErrorKind(err), judging.KindInvalid; got != want {
			t.Fatalf("kind %v, want %v (%v)", got, want, err)
		}
	})
	t.Run("ErrMissingFile", func(t *testing.T) {
		// A file that does not exist is an error that says so.
		_, err := LoadProgramme(filepath.Join(t.TempDir(), "none.yaml"))
		if !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("LoadProgramme: %v, want os.ErrNotExist", err)
		}
	})
}
