// Package demo is the data `awards --demo` loads: the Milipol 2023 programme moved to now,
// fictional exhibitors with their entries, judges and a ceremony screen. It is sample data,
// not configuration.
package demo

import (
	"time"

	"github.com/awards-dev/awards/config"
	"github.com/awards-dev/awards/judging"
)

// Programme is the Milipol 2023 programme with dates moved to now: submissions close in a week,
// judging a week later, and the ceremony is the next day at 14:00 Paris time.
func Programme(now time.Time) judging.Programme {
	p := config.Milipol2023()
	paris, err := time.LoadLocation(p.Timezone)
	if err != nil {
		panic("demo: " + err.Error()) // time/tzdata is embedded: this cannot happen
	}
	p.Name = "Milipol Innovation Awards (demo)"
	p.SubmissionsClose = now.Add(7 * 24 * time.Hour).Truncate(time.Second).In(paris)
	p.JudgingClose = p.SubmissionsClose.Add(7 * 24 * time.Hour)
	y, m, d := p.JudgingClose.Date()
	p.CeremonyAt = time.Date(y, m, d+1, 14, 0, 0, 0, paris)
	return p
}

// Exhibitor is a fictional company with an exhibitor account.
type Exhibitor struct {
	Email, Password, Company, Country string
	Startup                           bool
}

// Entry is one entry of a demo exhibitor, to be created and submitted.
type Entry struct {
	ExhibitorEmail, CategoryID, Title, Summary, Description string
	Links                                                   []string
}

// Judge is a judge to invite; Password is the one the demo sets through the invitation.
type Judge struct {
	Name, Email, Password    string
	Affiliations, Categories []string
}

// Data is everything `awards --demo` creates besides the programme.
type Data struct {
	AdminEmail, AdminPassword string
	Exhibitors                []Exhibitor
	Entries                   []Entry // 30, all to be submitted, 5 in each category
	Judges                    []Judge // 12, each category judged by at least 4
	ScreenName                string  // the ceremony display to create
}

// The demo's shared passwords, one per role, so the README can list them.
const (
	AdminEmail        = "admin@demo.awards.test"
	AdminPassword     = "demo-admin-2023"
	ExhibitorPassword = "demo-exhibitor-2023"
	JudgePassword     = "demo-judge-2023"
)

// New returns the demo accounts and entries: fictional companies, invented judges and fixed,
// readable passwords; a fresh copy on each call.
func New() Data {
	d := Data{
		AdminEmail:    AdminEmail,
		AdminPassword: AdminPassword,
		ScreenName:    "Main stage screen",
	}
	for _, e := range exhibitors {
		d.Exhibitors = append(d.Exhibitors, Exhibitor{
			Email:    e.email,
			Password: ExhibitorPassword,
			Company:  e.company,
			Country:  e.country,
			Startup:  e.startup,
		})
	}
	for _, e := range entries {
		d.Entries = append(d.Entries, Entry{
			ExhibitorEmail: e.exhibitor,
			CategoryID:     e.category,
			Title:          e.title,
			Summary:        e.summary,
			Description:    e.description,
			Links:          append([]string{}, e.links...),
		})
	}
	for _, j := range judges {
		d.Judges = append(d.Judges, Judge{
			Name:         j.name,
			Email:        j.email,
			Password:     JudgePassword,
			Affiliations: append([]string{}, j.affiliations...),
			Categories:   append([]string{}, j.categories...),
		})
	}
	return d
}
