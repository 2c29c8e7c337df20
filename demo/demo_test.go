package demo

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/awards-dev/awards/config"
)

func TestProgramme(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	// Around the clock, the year and both daylight-saving changes.
	for _, now := range []time.Time{
		time.Date(2023, 11, 1, 9, 30, 15, 500, time.UTC),
		time.Date(2024, 3, 24, 23, 59, 59, 0, time.UTC), // judging closes across spring forward
		time.Date(2024, 10, 20, 22, 30, 0, 0, paris),    // judging closes across fall back
		time.Date(2025, 12, 24, 23, 0, 0, 0, time.UTC),  // crosses a year
		time.Date(2026, 6, 1, 0, 0, 0, 0, time.FixedZone("", -10*3600)),
	} {
		t.Run(now.Format(time.RFC3339), func(t *testing.T) {
			p := Programme(now)
			if err := p.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			// Submissions open for a week: close = now + 7 days (to the second).
			week := 7 * 24 * time.Hour
			if d := p.SubmissionsClose.Sub(now.Add(week)); d > 0 || d <= -time.Second {
				t.Fatalf("submissions_close %v, want now + 7 days (%v)", p.SubmissionsClose, now.Add(week))
			}
			// Judging closes a week after that.
			if got := p.JudgingClose.Sub(p.SubmissionsClose); got != week {
				t.Fatalf("judging_close - submissions_close = %v, want %v", got, week)
			}
			// The ceremony is the next day at 14:00 Europe/Paris time.
			jy, jm, jd := p.JudgingClose.In(paris).Date()
			c := p.CeremonyAt.In(paris)
			if want := time.Date(jy, jm, jd+1, 14, 0, 0, 0, paris); !c.Equal(want) {
				t.Fatalf("ceremony_at %v, want %v", c, want)
			}
			if c.Hour() != 14 || c.Minute() != 0 || c.Second() != 0 {
				t.Fatalf("ceremony at %s Paris time, want 14:00", c.Format("15:04:05"))
			}
			if !p.JudgingClose.Before(p.CeremonyAt) {
				t.Fatalf("ceremony %v is not after judging_close %v", p.CeremonyAt, p.JudgingClose)
			}
		})
	}
	t.Run("Categories", func(t *testing.T) {
		// The demo keeps the Milipol categories and criteria.
		p, m := Programme(time.Now()), config.Milipol2023()
		for i := range m.Categories {
			if p.Categories[i].ID != m.Categories[i].ID || len(p.Categories[i].Criteria) != len(m.Categories[i].Criteria) {
				t.Fatalf("category %d differs from Milipol2023", i)
			}
		}
	})
}

func TestNew(t *testing.T) {
	d := New()
	p := Programme(time.Now())

	exhibitors := map[string]Exhibitor{}
	companies := map[string]string{} // folded company → company
	for _, e := range d.Exhibitors {
		if _, dup := exhibitors[e.Email]; dup {
			t.Errorf("exhibitor email %s appears twice", e.Email)
		}
		exhibitors[e.Email] = e
		companies[fold(e.Company)] = e.Company
	}

	t.Run("Accounts", func(t *testing.T) {
		// Passwords are at least 10 characters; emails are unique, under demo.awards.test.
		if d.AdminEmail != "admin@demo.awards.test" {
			t.Errorf("admin email %q", d.AdminEmail)
		}
		emails := map[string]bool{d.AdminEmail: true}
		check := func(email, password string) {
			t.Helper()
			if !strings.HasSuffix(email, "@demo.awards.test") {
				t.Errorf("%s is not under demo.awards.test", email)
			}
			if utf8.RuneCountInString(password) < 10 {
				t.Errorf("%s: password %q is under 10 characters", email, password)
			}
		}
		check(d.AdminEmail, d.AdminPassword)
		for _, e := range d.Exhibitors {
			check(e.Email, e.Password)
			emails[e.Email] = true
		}
		for _, j := range d.Judges {
			check(j.Email, j.Password)
			if emails[j.Email] {
				t.Errorf("judge email %s is taken", j.Email)
			}
			emails[j.Email] = true
		}
		if d.ScreenName != "Main stage screen" {
			t.Errorf("screen name %q", d.ScreenName)
		}
	})
	t.Run("Exhibitors", func(t *testing.T) {
		// About 20 companies from several countries, about 8 of them start-ups.
		if n := len(d.Exhibitors); n < 18 || n > 22 {
			t.Errorf("%d exhibitors, want about 20", n)
		}
		countries, startups := map[string]bool{}, 0
		for _, e := range d.Exhibitors {
			if len(e.Country) != 2 || strings.ToUpper(e.Country) != e.Country {
				t.Errorf("%s: country %q is not an ISO 3166 alpha-2 code", e.Company, e.Country)
			}
			countries[e.Country] = true
			if e.Startup {
				startups++
			}
		}
		if len(countries) < 8 {
			t.Errorf("%d countries, want at least 8", len(countries))
		}
		if startups < 6 || startups > 10 {
			t.Errorf("%d start-ups, want about 8", startups)
		}
		if len(companies) != len(d.Exhibitors) {
			t.Errorf("two exhibitors share a company name")
		}
	})
	t.Run("Entries", func(t *testing.T) {
		// 30 entries, 5 in each category; each entry's exhibitor and category exist.
		if got, want := len(d.Entries), 30; got != want {
			t.Fatalf("%d entries, want %d", got, want)
		}
		perCategory, perExhibitor := map[string]int{}, map[string]int{}
		for _, e := range d.Entries {
			if _, ok := exhibitors[e.ExhibitorEmail]; !ok {
				t.Errorf("%q: exhibitor %s does not exist", e.Title, e.ExhibitorEmail)
			}
			if _, ok := p.Category(e.CategoryID); !ok {
				t.Errorf("%q: category %s is not in the programme", e.Title, e.CategoryID)
			}
			if e.Title == "" || e.Summary == "" || e.Description == "" {
				t.Errorf("%q: title, summary and description are required", e.Title)
			}
			for _, l := range e.Links {
				if u, err := url.Parse(l); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
					t.Errorf("%q: link %q is not an http(s) URL", e.Title, l)
				}
			}
			key := e.ExhibitorEmail + " " + e.CategoryID
			if perExhibitor[key]++; perExhibitor[key] > 1 {
				t.Errorf("%s enters %s twice", e.ExhibitorEmail, e.CategoryID)
			}
			perCategory[e.CategoryID]++
		}
		for _, c := range p.Categories {
			if got, want := perCategory[c.ID], 5; got != want {
				t.Errorf("%s has %d entries, want %d", c.ID, got, want)
			}
		}
		twice := map[string]int{}
		for _, e := range d.Entries {
			twice[e.ExhibitorEmail]++
		}
		n := 0
		for _, k := range twice {
			if k == 2 {
				n++
			}
		}
		if n < 5 {
			t.Errorf("%d exhibitors have two entries, want several", n)
		}
	})
	t.Run("Judges", func(t *testing.T) {
		// 12 judges, each in 2 or 3 categories; every category has at least 4 judges, and
		// every entry at least 3 judges free of conflict.
		if got, want := len(d.Judges), 12; got != want {
			t.Fatalf("%d judges, want %d", got, want)
		}
		perCategory := map[string]int{}
		conflicted := 0
		for _, j := range d.Judges {
			if n := len(j.Categories); n < 2 || n > 3 {
				t.Errorf("%s judges %d categories, want 2 or 3", j.Name, n)
			}
			for _, c := range j.Categories {
				if _, ok := p.Category(c); !ok {
					t.Errorf("%s: category %s is not in the programme", j.Name, c)
				}
				perCategory[c]++
			}
			for _, a := range j.Affiliations {
				if company, ok := companies[fold(a)]; ok {
					conflicted++
					if a == company {
						t.Errorf("%s: affiliation %q is written exactly like the company; want another case or spacing", j.Name, a)
					}
				}
			}
		}
		for _, c := range p.Categories {
			if perCategory[c.ID] < 4 {
				t.Errorf("%s has %d judges, want at least 4", c.ID, perCategory[c.ID])
			}
		}
		if conflicted < 2 {
			t.Errorf("%d judges are affiliated with an exhibitor, want some", conflicted)
		}
		for _, e := range d.Entries {
			free := 0
			for _, j := range d.Judges {
				if slices.Contains(j.Categories, e.CategoryID) && !affiliated(j.Affiliations, exhibitors[e.ExhibitorEmail].Company) {
					free++
				}
			}
			if free < 3 {
				t.Errorf("%q has %d judges free of conflict, want at least 3", e.Title, free)
			}
		}
	})
	t.Run("FreshCopy", func(t *testing.T) {
		// Each call returns its own copy.
		d.Judges[0].Categories[0] = "changed"
		if New().Judges[0].Categories[0] == "changed" {
			t.Fatal("New shares its slices between calls")
		}
	})
}

// fold is the conflict rule's comparison: case ignored, spacing ignored.
func fold(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

func affiliated(affiliations []string, company string) bool {
	for _, a := range affiliations {
		if fold(a) == fold(company) {
			return true
		}
	}
	return false
}
