package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/awards-dev/awards/auth"
	"github.com/awards-dev/awards/demo"
	"github.com/awards-dev/awards/judging"
	"github.com/awards-dev/awards/web"
)

// demoJudgesPerEntry is how many judges the demo assigns to each entry.
const demoJudgesPerEntry = 3

// loadDemo loads the Milipol 2023 demo into an empty store — the programme with dates from
// now, exhibitors with submitted entries, twelve judges with passwords, their assignments and
// a ceremony screen — and prints the credentials. A store that already has a programme is
// left as it is.
func loadDemo(ctx context.Context, svc *judging.Service, tokens *auth.Tokens, stdout io.Writer, log *slog.Logger) error {
	d := demo.New()
	loaded, err := svc.LoadProgramme(ctx, demo.Programme(time.Now()))
	if err != nil {
		return err
	}
	if !loaded {
		log.Info("demo: a programme is already stored; nothing reloaded")
		printDemo(stdout, d, "")
		return nil
	}
	if _, err := svc.EnsureAdmin(ctx, d.AdminEmail, d.AdminPassword); err != nil {
		return err
	}
	admin, err := svc.Login(ctx, d.AdminEmail, d.AdminPassword, "")
	if err != nil {
		return fmt.Errorf("another admin exists already; start the demo on a fresh AWARDS_DATA_DIR: %w", err)
	}
	adminActor := judging.Actor{ID: admin.ID, Role: judging.RoleAdmin}
	owners := map[string]string{}
	for _, x := range d.Exhibitors {
		u, err := svc.Register(ctx, judging.Registration{Email: x.Email, Password: x.Password, Company: x.Company, Country: x.Country, Startup: x.Startup}, "")
		if err != nil {
			return fmt.Errorf("exhibitor %s: %w", x.Email, err)
		}
		owners[x.Email] = u.ID
	}
	for _, x := range d.Entries {
		owner := judging.Actor{ID: owners[x.ExhibitorEmail], Role: judging.RoleExhibitor}
		e, err := svc.CreateEntry(ctx, owner, judging.EntryInput{CategoryID: x.CategoryID, Title: x.Title, Summary: x.Summary, Description: x.Description, Links: x.Links})
		if err != nil {
			return fmt.Errorf("entry %q: %w", x.Title, err)
		}
		if _, err := svc.SubmitEntry(ctx, owner, e.ID); err != nil {
			return fmt.Errorf("submit %q: %w", x.Title, err)
		}
	}
	for _, j := range d.Judges {
		_, invite, err := svc.CreateJudge(ctx, adminActor, judging.JudgeInput{Name: j.Name, Email: j.Email, Affiliations: j.Affiliations, Categories: j.Categories})
		if err != nil {
			return fmt.Errorf("judge %s: %w", j.Email, err)
		}
		if _, err := svc.AcceptInvite(ctx, invite, j.Password); err != nil {
			return fmt.Errorf("judge %s: %w", j.Email, err)
		}
	}
	res, err := svc.AutoAssign(ctx, adminActor, demoJudgesPerEntry)
	if err != nil {
		return err
	}
	screen, err := svc.CreateScreen(ctx, adminActor, d.ScreenName)
	if err != nil {
		return err
	}
	tok, _, err := tokens.Issue(judging.Actor{ID: screen.ID, Role: judging.RoleScreen}, web.ScreenTokenTTL)
	if err != nil {
		return err
	}
	log.Info("demo loaded", "exhibitors", len(d.Exhibitors), "entries", len(d.Entries), "judges", len(d.Judges),
		"assignments", res.Assigned, "unfilled", len(res.Unfilled))
	printDemo(stdout, d, tok)
	return nil
}

func printDemo(w io.Writer, d demo.Data, screenToken string) {
	fmt.Fprintln(w, "Demo accounts (Milipol Innovation Awards 2023):")
	row := func(role, email, password string) { fmt.Fprintf(w, "  %-10s %-32s %s\n", role, email, password) }
	row("admin", d.AdminEmail, d.AdminPassword)
	for _, j := range d.Judges {
		row("judge", j.Email, j.Password)
	}
	for _, x := range d.Exhibitors {
		row("exhibitor", x.Email, x.Password)
	}
	if screenToken != "" {
		fmt.Fprintf(w, "  ceremony screen token (30 days):\n  %s\n", screenToken)
	}
}
