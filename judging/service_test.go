package judging_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/awards-dev/awards/judging"
	"github.com/awards-dev/awards/judging/judgingtest"
)

func ids(es []judging.Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	slices.Sort(out)
	return out
}

func sorted(xs ...string) []string {
	xs = slices.Clone(xs)
	slices.Sort(xs)
	return xs
}

func approx(a, b float64) bool { return math.Abs(a-b) <= 1e-9 }

func TestNewService(t *testing.T) {
	h := judgingtest.NewBare(t)

	t.Run("OK", func(t *testing.T) {
		// A Service built from every port answers.
		svc := h.NewService(t, func(*judging.Deps) {})
		if err := svc.Ping(h.Ctx); err != nil {
			t.Fatalf("Ping: %v", err)
		}
	})

	t.Run("ErrMissingPort", func(t *testing.T) {
		// A port left unset is a wiring mistake found when the Service is built, not by the
		// first request that needs it.
		d := h.Deps()
		d.Scores = nil
		_, err := judging.NewService(d)
		if err == nil || !strings.Contains(err.Error(), "Scores") {
			t.Fatalf("NewService without Scores: %v, want an error naming Scores", err)
		}
	})
}

// ----- Accounts -----

func TestService_Register(t *testing.T) {
	h := judgingtest.New(t)
	valid := func() judging.Registration {
		return judging.Registration{Email: "alice@example.com", Password: judgingtest.Password, Company: "Acme Security", Country: "FR"}
	}

	t.Run("OK", func(t *testing.T) {
		// POST /auth/register creates an exhibitor; the company's spacing and the country's case are normalised.
		h := h.On(t)
		r := valid()
		r.Email, r.Company, r.Country, r.Startup = "  Bob@Example.com ", "  Beta   Systems ", "de", true
		u := judgingtest.Must(h.Svc.Register(h.Ctx, r, testIP))(t)
		if got, want := u.Role, judging.RoleExhibitor; got != want {
			t.Fatalf("role = %q, want %q", got, want)
		}
		got := judgingtest.Must(h.Svc.User(h.Ctx, u.ID))(t)
		want := judging.User{ID: u.ID, Role: judging.RoleExhibitor, Email: "Bob@Example.com", Company: "Beta Systems", Country: "DE", Startup: true, CreatedAt: judgingtest.T0}
		if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(judging.User{}, "PasswordHash")); diff != "" {
			t.Fatalf("stored user (-want +got):\n%s", diff)
		}
		if got.PasswordHash == "" || strings.Contains(got.PasswordHash, judgingtest.Password) {
			t.Fatalf("password hash %q: want a hash, not the password", got.PasswordHash)
		}
	})

	for _, tc := range []struct {
		name   string
		change func(*judging.Registration)
		code   string
	}{
		{"a missing email is 422", func(r *judging.Registration) { r.Email = " " }, "missing_field"},
		{"an email that is no address is 422", func(r *judging.Registration) { r.Email = "alice at example" }, "invalid_email"},
		{"a missing company is 422", func(r *judging.Registration) { r.Company = "  " }, "missing_field"},
		{"a missing country is 422", func(r *judging.Registration) { r.Country = "" }, "missing_field"},
		{"a country over 64 characters is 422", func(r *judging.Registration) { r.Country = strings.Repeat("x", 65) }, "too_long"},
		{"Password ≥ 10 chars: 9 is 422", func(r *judging.Registration) { r.Password = "123456789" }, "weak_password"},
	} {
		t.Run("ErrInvalid/"+tc.name, func(t *testing.T) {
			h := h.On(t)
			r := valid()
			r.Email = "invalid-case@example.com" // nothing is stored, so one address serves every case
			tc.change(&r)
			_, err := h.Svc.Register(h.Ctx, r, testIP)
			judgingtest.WantInvalid(t, err, tc.code)
		})
	}

	t.Run("ErrEmailTaken", func(t *testing.T) {
		// Duplicate email → 409, compared case-insensitively.
		h := h.On(t)
		judgingtest.Must(h.Svc.Register(h.Ctx, valid(), testIP))(t)
		r := valid()
		r.Email = "ALICE@Example.COM"
		_, err := h.Svc.Register(h.Ctx, r, testIP)
		judgingtest.WantErr(t, err, judging.ErrEmailTaken)
	})
}

func TestService_Login(t *testing.T) {
	h := judgingtest.New(t)
	reg := judging.Registration{Email: "Carol@Example.com", Password: judgingtest.Password, Company: "Carol Corp", Country: "FR"}
	carol := judgingtest.Must(h.Svc.Register(h.Ctx, reg, testIP))(t)

	t.Run("OK", func(t *testing.T) {
		// POST /auth/login with the right password; the email's case does not matter.
		h := h.On(t)
		u := judgingtest.Must(h.Svc.Login(h.Ctx, "carol@example.COM", judgingtest.Password, testIP))(t)
		if got, want := u.ID, carol.ID; got != want {
			t.Fatalf("logged in as %q, want %q", got, want)
		}
	})

	t.Run("ErrBadCredentials", func(t *testing.T) {
		// Wrong credentials → 401 (same answer for unknown email).
		h := h.On(t)
		_, wrong := h.Svc.Login(h.Ctx, "carol@example.com", "not the password", testIP)
		_, unknown := h.Svc.Login(h.Ctx, "nobody@example.com", judgingtest.Password, testIP)
		judgingtest.WantErr(t, wrong, judging.ErrBadCredentials)
		judgingtest.WantErr(t, unknown, judging.ErrBadCredentials)
		if wrong.Error() != unknown.Error() {
			t.Fatalf("wrong password says %q, unknown email says %q: want the same answer", wrong, unknown)
		}
	})

	t.Run("ErrBadCredentials/invited judge without a password", func(t *testing.T) {
		// A judge who has not accepted the invitation has no password: nothing logs in.
		h := h.On(t)
		j := h.Judge([]string{judgingtest.CatCyber})
		u := judgingtest.Must(h.Svc.User(h.Ctx, j.ID))(t)
		for _, pw := range []string{"", judgingtest.Password} {
			_, err := h.Svc.Login(h.Ctx, u.Email, pw, testIP)
			judgingtest.WantErr(t, err, judging.ErrBadCredentials)
		}
	})

	t.Run("ErrRateLimited", func(t *testing.T) {
		// 10 failed logins for one email from one client IP in 15 min → 429 for that pair, even
		// with the right password.
		h := h.On(t)
		reg := reg
		reg.Email = "dave@example.com"
		judgingtest.Must(h.Svc.Register(h.Ctx, reg, testIP))(t)
		for i := range judging.LoginPairLimit {
			email := "dave@example.com"
			if i%2 == 1 {
				email = " DAVE@example.com" // the same email, counted together
			}
			_, err := h.Svc.Login(h.Ctx, email, "wrong password", testIP)
			judgingtest.WantErr(t, err, judging.ErrBadCredentials)
		}
		_, err := h.Svc.Login(h.Ctx, "dave@example.com", judgingtest.Password, testIP)
		judgingtest.WantErr(t, err, judging.ErrRateLimited)

		// Only that email: another account still logs in.
		judgingtest.Must(h.Svc.Login(h.Ctx, "carol@example.com", judgingtest.Password, testIP))(t)
	})

	t.Run("ErrRateLimited/unknown email", func(t *testing.T) {
		// Failures for an email that has no account count too, so probing is limited alike.
		h := h.On(t)
		for range judging.LoginPairLimit {
			_, err := h.Svc.Login(h.Ctx, "ghost@example.com", "guess", testIP)
			judgingtest.WantErr(t, err, judging.ErrBadCredentials)
		}
		_, err := h.Svc.Login(h.Ctx, "ghost@example.com", "guess", testIP)
		judgingtest.WantErr(t, err, judging.ErrRateLimited)
	})

	t.Run("successes are never limited", func(t *testing.T) {
		// Rate limits count failures, not successes.
		h := h.On(t)
		for range 2 * judging.LoginPairLimit {
			judgingtest.Must(h.Svc.Login(h.Ctx, "carol@example.com", judgingtest.Password, testIP))(t)
		}
	})
}

func TestService_EnsureAdmin(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		// AWARDS_ADMIN_EMAIL/PASSWORD: create this admin at start if no admin exists — once.
		h := judgingtest.NewBare(t)
		if created := judgingtest.Must(h.Svc.EnsureAdmin(h.Ctx, judgingtest.AdminEmail, judgingtest.AdminPassword))(t); !created {
			t.Fatalf("first EnsureAdmin created nothing")
		}
		for _, email := range []string{judgingtest.AdminEmail, "other-admin@awards.test"} {
			if created := judgingtest.Must(h.Svc.EnsureAdmin(h.Ctx, email, judgingtest.AdminPassword))(t); created {
				t.Fatalf("EnsureAdmin(%s) created a second admin", email)
			}
		}
		admins := judgingtest.Must(h.Store.UsersByRole(h.Ctx, judging.RoleAdmin))(t)
		if got, want := len(admins), 1; got != want {
			t.Fatalf("%d admins, want %d", got, want)
		}
		u := judgingtest.Must(h.Svc.Login(h.Ctx, judgingtest.AdminEmail, judgingtest.AdminPassword, testIP))(t)
		if got, want := u.Role, judging.RoleAdmin; got != want {
			t.Fatalf("role = %q, want %q", got, want)
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		// A bad admin email or a short password is refused, and nothing is created.
		h := judgingtest.NewBare(t)
		_, err := h.Svc.EnsureAdmin(h.Ctx, "not an email", judgingtest.AdminPassword)
		judgingtest.WantInvalid(t, err, "invalid_email")
		_, err = h.Svc.EnsureAdmin(h.Ctx, judgingtest.AdminEmail, "short")
		judgingtest.WantInvalid(t, err, "weak_password")
		if admins := judgingtest.Must(h.Store.UsersByRole(h.Ctx, judging.RoleAdmin))(t); len(admins) != 0 {
			t.Fatalf("admins = %v, want none", admins)
		}
	})

	t.Run("another instance creating the same admin meanwhile", func(t *testing.T) {
		// Two instances starting together with the same AWARDS_ADMIN_EMAIL: the one that loses
		// the race finds the admin it was asked for and must start, not fail with email_taken.
		h := judgingtest.NewBare(t)
		other := h.NewService(t, func(d *judging.Deps) { d.Users = &adminRace{Users: h.Store} })
		judgingtest.Must(h.Svc.EnsureAdmin(h.Ctx, judgingtest.AdminEmail, judgingtest.AdminPassword))(t)
		created, err := other.EnsureAdmin(h.Ctx, judgingtest.AdminEmail, judgingtest.AdminPassword)
		if err != nil || created {
			t.Fatalf("EnsureAdmin after another instance created the admin = %v, %v; want false, nil", created, err)
		}
	})
}

// adminRace is Users whose first look for admins happened before another instance created
// one: it answers "no admin" once.
type adminRace struct {
	judging.Users
	looked bool
}

func (s *adminRace) UsersByRole(ctx context.Context, r judging.Role) ([]judging.User, error) {
	if r == judging.RoleAdmin && !s.looked {
		s.looked = true
		return nil, nil
	}
	return s.Users.UsersByRole(ctx, r)
}

func TestService_CreateJudge(t *testing.T) {
	h := judgingtest.New(t)

	t.Run("OK", func(t *testing.T) {
		// POST /judges (admin) → {id, invite_token}; categories are deduplicated, affiliations' spacing normalised.
		h := h.On(t)
		u, invite, err := h.Svc.CreateJudge(h.Ctx, h.Admin, judging.JudgeInput{
			Name: " Erin ", Email: "erin@jury.test", Affiliations: []string{"  Acme   Security "}, Categories: []string{judgingtest.CatCyber, judgingtest.CatCSR, judgingtest.CatCyber},
		})
		if err != nil {
			t.Fatal(err)
		}
		if invite == "" {
			t.Fatalf("no invite token")
		}
		got := judgingtest.Must(h.Svc.User(h.Ctx, u.ID))(t)
		want := judging.User{ID: u.ID, Role: judging.RoleJudge, Email: "erin@jury.test", Name: "Erin",
			Affiliations: []string{"Acme Security"}, Categories: []string{judgingtest.CatCyber, judgingtest.CatCSR}, CreatedAt: judgingtest.T0}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("stored judge (-want +got):\n%s", diff)
		}
	})

	for _, tc := range []struct {
		name string
		in   judging.JudgeInput
		code string
	}{
		{"a missing name is 422", judging.JudgeInput{Email: "x1@jury.test", Categories: []string{judgingtest.CatCyber}}, "missing_field"},
		{"a bad email is 422", judging.JudgeInput{Name: "X", Email: "x@", Categories: []string{judgingtest.CatCyber}}, "invalid_email"},
		{"no categories is 422", judging.JudgeInput{Name: "X", Email: "x2@jury.test"}, "missing_field"},
		{"a category not in the programme is 422", judging.JudgeInput{Name: "X", Email: "x3@jury.test", Categories: []string{"cooking"}}, "unknown_category"},
		{"a blank affiliation is 422", judging.JudgeInput{Name: "X", Email: "x4@jury.test", Categories: []string{judgingtest.CatCyber}, Affiliations: []string{"  "}}, "invalid_affiliations"},
	} {
		t.Run("ErrInvalid/"+tc.name, func(t *testing.T) {
			h := h.On(t)
			_, _, err := h.Svc.CreateJudge(h.Ctx, h.Admin, tc.in)
			judgingtest.WantInvalid(t, err, tc.code)
		})
	}

	t.Run("ErrEmailTaken", func(t *testing.T) {
		// A judge's email is unique across every account, case-insensitively.
		h := h.On(t)
		_, _, err := h.Svc.CreateJudge(h.Ctx, h.Admin, judging.JudgeInput{Name: "Dup", Email: "ADMIN@awards.test", Categories: []string{judgingtest.CatCyber}})
		judgingtest.WantErr(t, err, judging.ErrEmailTaken)
	})

	t.Run("ErrForbidden", func(t *testing.T) {
		// POST /judges is for admins.
		h := h.On(t)
		in := judging.JudgeInput{Name: "Y", Email: "y@jury.test", Categories: []string{judgingtest.CatCyber}}
		_, _, err := h.Svc.CreateJudge(h.Ctx, h.Exhibitor("Y Corp"), in)
		judgingtest.WantErr(t, err, judging.ErrForbidden)
		_, _, err = h.Svc.CreateJudge(h.Ctx, judging.Actor{}, in)
		judgingtest.WantErr(t, err, judging.ErrUnauthorized)
	})
}

func TestService_AcceptInvite(t *testing.T) {
	h := judgingtest.New(t)
	invite := func(email string) (judging.User, string) {
		t.Helper()
		u, tok, err := h.Svc.CreateJudge(h.Ctx, h.Admin, judging.JudgeInput{Name: "Judge", Email: email, Categories: []string{judgingtest.CatCyber}})
		if err != nil {
			t.Fatal(err)
		}
		return u, tok
	}

	t.Run("OK", func(t *testing.T) {
		// POST /auth/invite: a judge sets a password from an invitation, then logs in with it.
		h := h.On(t)
		u, tok := invite("frank@jury.test")
		got := judgingtest.Must(h.Svc.AcceptInvite(h.Ctx, tok, judgingtest.Password))(t)
		if got.ID != u.ID || got.Role != judging.RoleJudge {
			t.Fatalf("AcceptInvite = %s %s, want %s judge", got.ID, got.Role, u.ID)
		}
		if got := judgingtest.Must(h.Svc.Login(h.Ctx, "frank@jury.test", judgingtest.Password, testIP))(t); got.ID != u.ID {
			t.Fatalf("login as %s, want %s", got.ID, u.ID)
		}
	})

	t.Run("ErrBadInvite", func(t *testing.T) {
		// A used or unknown invite_token → 401.
		h := h.On(t)
		_, tok := invite("grace@jury.test")
		judgingtest.Must(h.Svc.AcceptInvite(h.Ctx, tok, judgingtest.Password))(t)
		_, err := h.Svc.AcceptInvite(h.Ctx, tok, "another password")
		judgingtest.WantErr(t, err, judging.ErrBadInvite)
		if _, err := h.Svc.Login(h.Ctx, "grace@jury.test", "another password", testIP); !errors.Is(err, judging.ErrBadCredentials) {
			t.Fatalf("the second use changed the password: login = %v", err)
		}
		for _, bad := range []string{"", "unknown-token", strings.Repeat("a", 300)} {
			_, err := h.Svc.AcceptInvite(h.Ctx, bad, judgingtest.Password)
			judgingtest.WantErr(t, err, judging.ErrBadInvite)
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		// A short password is 422 and leaves the invitation usable.
		h := h.On(t)
		_, tok := invite("heidi@jury.test")
		_, err := h.Svc.AcceptInvite(h.Ctx, tok, "short")
		judgingtest.WantInvalid(t, err, "weak_password")
		judgingtest.Must(h.Svc.AcceptInvite(h.Ctx, tok, judgingtest.Password))(t)
	})

	t.Run("used once when raced", func(t *testing.T) {
		// A one-use invitation accepted by many requests at once succeeds exactly once.
		h := h.On(t)
		_, tok := invite("ivan@jury.test")
		var ok, bad int
		var mu sync.Mutex
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Go(func() {
				_, err := h.Svc.AcceptInvite(h.Ctx, tok, fmt.Sprintf("password number %d", i))
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					ok++
				case errors.Is(err, judging.ErrBadInvite):
					bad++
				default:
					t.Errorf("AcceptInvite: %v", err)
				}
			})
		}
		wg.Wait()
		if ok != 1 || bad != 7 {
			t.Fatalf("%d accepted, %d refused; want 1 and 7", ok, bad)
		}
	})
}

func TestService_CheckActor(t *testing.T) {
	h := judgingtest.New(t)
	ex := h.Exhibitor("Acme")
	for _, tc := range []struct {
		name  string
		actor judging.Actor
		want  *judging.Error
	}{
		{"OK: the subject is a user holding that role", ex, nil},
		{"ErrUnauthorized: a role that is not that user's → 401", judging.Actor{ID: ex.ID, Role: judging.RoleAdmin}, judging.ErrUnauthorized},
		{"ErrUnauthorized: a sub that is not a user → 401", judging.Actor{ID: "u_nobody", Role: judging.RoleExhibitor}, judging.ErrUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := h.On(t)
			err := h.Svc.CheckActor(h.Ctx, tc.actor)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("CheckActor = %v, want nil", err)
				}
				return
			}
			judgingtest.WantErr(t, err, tc.want)
		})
	}
}

// ----- Programme -----

func TestService_PutProgramme(t *testing.T) {
	h := judgingtest.New(t)
	j := h.Judge([]string{judgingtest.CatCyber})
	e := h.Entry(h.Exhibitor("Acme"), judgingtest.CatCyber, "Firewall")
	h.Assign(j, e)
	sc := h.Score(j, e, judgingtest.Cyber(5, 3))
	h.Pub.Take()

	for _, tc := range []struct {
		name   string
		change func(p *judging.Programme)
	}{
		{"a criterion's weight", func(p *judging.Programme) { p.Categories[0].Criteria[0].Weight = 4 }},
		{"a criterion's min", func(p *judging.Programme) { p.Categories[0].Criteria[0].Min = 1 }},
		{"a criterion's max", func(p *judging.Programme) { p.Categories[0].Criteria[1].Max = 7 }},
		{"a criterion's id", func(p *judging.Programme) { p.Categories[0].Criteria[0].ID = "novelty" }},
		{"its tally", func(p *judging.Programme) { p.Categories[0].Tally = judging.TallyTrimmedMean }},
		{"an added criterion", func(p *judging.Programme) {
			p.Categories[0].Criteria = append(p.Categories[0].Criteria, judging.Criterion{ID: "team", Name: "Team", Weight: 1, Min: 0, Max: 5})
		}},
		{"a removed criterion", func(p *judging.Programme) { p.Categories[0].Criteria = p.Categories[0].Criteria[:1] }},
		{"the category removed", func(p *judging.Programme) { p.Categories = p.Categories[1:] }},
	} {
		t.Run("ErrCriteriaFrozen/"+tc.name, func(t *testing.T) {
			// Once a category has a score, changing or removing any of its criteria (id, weight, min, max) or its tally → 409.
			h := h.On(t)
			p := judgingtest.Programme()
			tc.change(&p)
			_, err := h.Svc.PutProgramme(h.Ctx, h.Admin, p)
			judgingtest.WantErr(t, err, judging.ErrCriteriaFrozen)
			if diff := cmp.Diff(judgingtest.Programme(), judgingtest.Must(h.Svc.Programme(h.Ctx))(t)); diff != "" {
				t.Fatalf("a refused change was stored (-want +got):\n%s", diff)
			}
			h.WantEvents()
		})
	}

	for _, tc := range []struct {
		name   string
		change func(p *judging.Programme)
	}{
		{"renaming the scored category", func(p *judging.Programme) { p.Categories[0].Name = "Cybersecurity" }},
		{"its description", func(p *judging.Programme) { p.Categories[0].Description = "Keeping attackers out." }},
		{"a criterion's name", func(p *judging.Programme) { p.Categories[0].Criteria[1].Name = "Reach" }},
		{"the dates", func(p *judging.Programme) {
			p.SubmissionsClose = p.SubmissionsClose.Add(time.Hour)
			p.JudgingClose = p.JudgingClose.Add(24 * time.Hour)
			p.CeremonyAt = p.CeremonyAt.Add(24 * time.Hour)
		}},
		{"the programme's name", func(p *judging.Programme) { p.Name = "Renamed Awards" }},
		{"an unscored category's criteria and tally", func(p *judging.Programme) {
			p.Categories[1].Criteria[0].Weight, p.Categories[1].Criteria[1].Max = 5, 10
			p.Categories[1].Tally = judging.TallyMean
		}},
		{"an added category", func(p *judging.Programme) {
			p.Categories = append(p.Categories, judging.Category{ID: "crisis-management", Name: "Crisis management",
				Criteria: []judging.Criterion{{ID: "speed", Name: "Speed", Weight: 1, Min: 0, Max: 10}}})
		}},
		{"an empty category removed", func(p *judging.Programme) { p.Categories = p.Categories[:2] }},
	} {
		t.Run("OK/"+tc.name, func(t *testing.T) {
			// Names, descriptions and dates may change; so may what has no score.
			h := h.On(t)
			p := judgingtest.Programme()
			tc.change(&p)
			judgingtest.Must(h.Svc.PutProgramme(h.Ctx, h.Admin, p))(t)
			if diff := cmp.Diff(p, judgingtest.Must(h.Svc.Programme(h.Ctx))(t)); diff != "" {
				t.Fatalf("stored programme (-want +got):\n%s", diff)
			}
			h.WantEvents(judging.Event{Type: judging.EventProgramme})
			judgingtest.Must(h.Svc.PutProgramme(h.Ctx, h.Admin, judgingtest.Programme()))(t) // back, for the next case
			h.Pub.Take()
		})
	}

	t.Run("OK/the score still counts", func(t *testing.T) {
		// A rename leaves the scored category's scores as they were.
		h := h.On(t)
		p := judgingtest.Programme()
		p.Categories[0].Name = "Cybersecurity"
		judgingtest.Must(h.Svc.PutProgramme(h.Ctx, h.Admin, p))(t)
		if diff := cmp.Diff([]judging.Score{sc}, h.Counting(judgingtest.CatCyber)); diff != "" {
			t.Fatalf("counting scores (-want +got):\n%s", diff)
		}
		judgingtest.Must(h.Svc.PutProgramme(h.Ctx, h.Admin, judgingtest.Programme()))(t)
	})

	t.Run("ErrCategoryInUse", func(t *testing.T) {
		// A category that holds entries (even drafts, even unscored) cannot be removed.
		h := h.On(t)
		h.Draft(h.Exhibitor("CSR Co"), judgingtest.CatCSR, "Green")
		p := judgingtest.Programme()
		p.Categories = p.Categories[:2]
		_, err := h.Svc.PutProgramme(h.Ctx, h.Admin, p)
		judgingtest.WantErr(t, err, judging.ErrCategoryInUse)
		if _, ok := func() (*judging.Category, bool) {
			p := judgingtest.Must(h.Svc.Programme(h.Ctx))(t)
			return p.Category(judgingtest.CatCSR)
		}(); !ok {
			t.Fatalf("the category was removed")
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		// A programme that breaks a rule is 422.
		h := h.On(t)
		p := judgingtest.Programme()
		p.Categories[2].Criteria[0].Min = 5
		_, err := h.Svc.PutProgramme(h.Ctx, h.Admin, p)
		judgingtest.WantInvalid(t, err, "invalid_programme")
	})

	t.Run("ErrForbidden", func(t *testing.T) {
		// PUT /programme is for admins.
		h := h.On(t)
		_, err := h.Svc.PutProgramme(h.Ctx, j, judgingtest.Programme())
		judgingtest.WantErr(t, err, judging.ErrForbidden)
	})
}

func TestService_LoadProgramme(t *testing.T) {
	// AWARDS_PROGRAMME: loaded at start if no programme exists; an existing one is kept.
	h := judgingtest.NewBare(t)
	_, err := h.Svc.Programme(h.Ctx)
	judgingtest.WantErr(t, err, judging.ErrNoProgramme)
	if loaded := judgingtest.Must(h.Svc.LoadProgramme(h.Ctx, judgingtest.Programme()))(t); !loaded {
		t.Fatalf("LoadProgramme into an empty store loaded nothing")
	}
	other := judgingtest.Programme()
	other.Name = "Another"
	if loaded := judgingtest.Must(h.Svc.LoadProgramme(h.Ctx, other))(t); loaded {
		t.Fatalf("LoadProgramme replaced an existing programme")
	}
	if got, want := judgingtest.Must(h.Svc.Programme(h.Ctx))(t).Name, judgingtest.Programme().Name; got != want {
		t.Fatalf("programme name = %q, want %q", got, want)
	}
}

// ----- Entries -----

func TestService_CreateEntry(t *testing.T) {
	h := judgingtest.New(t)
	owner := judgingtest.Must(h.Svc.Register(h.Ctx, judging.Registration{Email: "own@example.com", Password: judgingtest.Password, Company: "Acme Security", Country: "FR", Startup: true}, ""))(t)
	ex := judging.Actor{ID: owner.ID, Role: judging.RoleExhibitor}

	t.Run("OK", func(t *testing.T) {
		// POST /entries → {id, status: "draft", …}; links defaults to []; company, country and startup come from the account.
		h := h.On(t)
		e := judgingtest.Must(h.Svc.CreateEntry(h.Ctx, ex, judging.EntryInput{CategoryID: judgingtest.CatCyber, Title: " Firewall ", Summary: "s"}))(t)
		want := judging.Entry{ID: e.ID, CategoryID: judgingtest.CatCyber, Title: "Firewall", Summary: "s", Links: []string{}, Status: judging.StatusDraft,
			OwnerID: ex.ID, Company: "Acme Security", Country: "FR", Startup: true, CreatedAt: judgingtest.T0, UpdatedAt: judgingtest.T0}
		if diff := cmp.Diff(want, e); diff != "" {
			t.Fatalf("CreateEntry (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(want, judgingtest.Must(h.Svc.Entry(h.Ctx, ex, e.ID))(t)); diff != "" {
			t.Fatalf("stored entry (-want +got):\n%s", diff)
		}
		h.WantEvents(judging.Event{Type: judging.EventEntry, CategoryID: judgingtest.CatCyber, EntryID: e.ID})
	})

	for _, tc := range []struct {
		name string
		in   judging.EntryInput
		code string
	}{
		{"category_id is required", judging.EntryInput{Title: "T"}, "missing_field"},
		{"title is required", judging.EntryInput{CategoryID: judgingtest.CatCyber, Title: "  "}, "missing_field"},
		{"a category not in the programme is 422", judging.EntryInput{CategoryID: "cooking", Title: "T"}, "unknown_category"},
		{"links hold http(s) URLs", judging.EntryInput{CategoryID: judgingtest.CatCyber, Title: "T", Links: []string{"https://ok.example", "javascript:alert(1)"}}, "invalid_link"},
		{"a link with credentials is refused", judging.EntryInput{CategoryID: judgingtest.CatCyber, Title: "T", Links: []string{"https://user:pw@example.com"}}, "invalid_link"},
	} {
		t.Run("ErrInvalid/"+tc.name, func(t *testing.T) {
			h := h.On(t)
			_, err := h.Svc.CreateEntry(h.Ctx, ex, tc.in)
			judgingtest.WantInvalid(t, err, tc.code)
			h.WantEvents()
		})
	}

	t.Run("ErrForbidden", func(t *testing.T) {
		// POST /entries is for exhibitors.
		h := h.On(t)
		_, err := h.Svc.CreateEntry(h.Ctx, h.Admin, judging.EntryInput{CategoryID: judgingtest.CatCyber, Title: "T"})
		judgingtest.WantErr(t, err, judging.ErrForbidden)
	})

	t.Run("ErrSubmissionsClosed", func(t *testing.T) {
		// No new entry from submissions_close on.
		h := h.On(t)
		h.Clock.T = judgingtest.Programme().SubmissionsClose
		defer func() { h.Clock.T = judgingtest.T0 }()
		_, err := h.Svc.CreateEntry(h.Ctx, ex, judging.EntryInput{CategoryID: judgingtest.CatCyber, Title: "Late"})
		judgingtest.WantErr(t, err, judging.ErrSubmissionsClosed)
		h.WantEvents()
	})
}

func TestService_SubmitEntry(t *testing.T) {
	h := judgingtest.New(t)
	ex := h.Exhibitor("Acme")

	t.Run("OK", func(t *testing.T) {
		// POST /entries/{id}/submit (owner) → {status: "submitted"}.
		h := h.On(t)
		e := h.Draft(ex, judgingtest.CatCyber, "Firewall")
		h.Pub.Take()
		h.Clock.T = judgingtest.T0.Add(time.Hour)
		defer func() { h.Clock.T = judgingtest.T0 }()
		got := judgingtest.Must(h.Svc.SubmitEntry(h.Ctx, ex, e.ID))(t)
		if got.Status != judging.StatusSubmitted || got.SubmittedAt == nil || !got.SubmittedAt.Equal(h.Clock.T) {
			t.Fatalf("submitted entry: status %q at %v; want %q at %v", got.Status, got.SubmittedAt, judging.StatusSubmitted, h.Clock.T)
		}
		h.WantEvents(judging.Event{Type: judging.EventEntry, CategoryID: judgingtest.CatCyber, EntryID: e.ID})
	})

	t.Run("ErrAlreadySubmitted", func(t *testing.T) {
		// Submitting twice is a state conflict (409).
		h := h.On(t)
		e := h.Entry(ex, judgingtest.CatCyber, "Twice")
		_, err := h.Svc.SubmitEntry(h.Ctx, ex, e.ID)
		judgingtest.WantErr(t, err, judging.ErrAlreadySubmitted)
	})

	t.Run("ErrSubmissionsClosed", func(t *testing.T) {
		// After submissions_close → 409, and the entry stays a draft.
		h := h.On(t)
		e := h.Draft(ex, judgingtest.CatCyber, "Late")
		h.Clock.T = judgingtest.Programme().SubmissionsClose.Add(time.Second)
		defer func() { h.Clock.T = judgingtest.T0 }()
		_, err := h.Svc.SubmitEntry(h.Ctx, ex, e.ID)
		judgingtest.WantErr(t, err, judging.ErrSubmissionsClosed)
		if got := judgingtest.Must(h.Svc.Entry(h.Ctx, ex, e.ID))(t).Status; got != judging.StatusDraft {
			t.Fatalf("status = %q, want draft", got)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		// Another exhibitor's entry does not exist for them.
		h := h.On(t)
		e := h.Draft(ex, judgingtest.CatCyber, "Mine")
		_, err := h.Svc.SubmitEntry(h.Ctx, h.Exhibitor("Rival"), e.ID)
		judgingtest.WantErr(t, err, judging.ErrNotFound)
	})
}

func TestService_UpdateEntry(t *testing.T) {
	h := judgingtest.New(t)
	ex := h.Exhibitor("Acme")
	edit := func(e judging.Entry, title string) judging.EntryInput {
		return judging.EntryInput{CategoryID: e.CategoryID, Title: title, Links: []string{"https://acme.example/product"}}
	}

	t.Run("OK", func(t *testing.T) {
		// PUT /entries/{id} (owner while draft): fields replaced, updated_at moves.
		h := h.On(t)
		e := h.Draft(ex, judgingtest.CatCyber, "Draft")
		h.Clock.T = judgingtest.T0.Add(time.Minute)
		defer func() { h.Clock.T = judgingtest.T0 }()
		got := judgingtest.Must(h.Svc.UpdateEntry(h.Ctx, ex, e.ID, edit(e, "Better title")))(t)
		if got.Title != "Better title" || !got.UpdatedAt.Equal(h.Clock.T) || !got.CreatedAt.Equal(judgingtest.T0) {
			t.Fatalf("updated: %q updated %v created %v", got.Title, got.UpdatedAt, got.CreatedAt)
		}
		if diff := cmp.Diff([]string{"https://acme.example/product"}, got.Links); diff != "" {
			t.Fatalf("links (-want +got):\n%s", diff)
		}
	})

	t.Run("OK/a draft may change category", func(t *testing.T) {
		h := h.On(t)
		e := h.Draft(ex, judgingtest.CatCyber, "Mover")
		in := edit(e, "Mover")
		in.CategoryID = judgingtest.CatDrones
		judgingtest.Must(h.Svc.UpdateEntry(h.Ctx, ex, e.ID, in))(t)
		dr := judgingtest.Must(h.Svc.Entries(h.Ctx, h.Admin, judging.EntryFilter{CategoryID: judgingtest.CatDrones}))(t)
		cy := judgingtest.Must(h.Svc.Entries(h.Ctx, h.Admin, judging.EntryFilter{CategoryID: judgingtest.CatCyber}))(t)
		if !slices.Contains(ids(dr), e.ID) || slices.Contains(ids(cy), e.ID) {
			t.Fatalf("entry %s: in drones %v, in cyber %v; want drones only", e.ID, ids(dr), ids(cy))
		}
	})

	t.Run("ErrAlreadySubmitted", func(t *testing.T) {
		// The owner edits while draft — after submit 409.
		h := h.On(t)
		e := h.Entry(ex, judgingtest.CatCyber, "Sent")
		_, err := h.Svc.UpdateEntry(h.Ctx, ex, e.ID, edit(e, "Changed"))
		judgingtest.WantErr(t, err, judging.ErrAlreadySubmitted)
		if got := judgingtest.Must(h.Svc.Entry(h.Ctx, ex, e.ID))(t).Title; got != "Sent" {
			t.Fatalf("title = %q, want unchanged", got)
		}
	})

	t.Run("OK/admin after submit", func(t *testing.T) {
		// An admin may edit a submitted entry, but it keeps its category.
		h := h.On(t)
		e := h.Entry(ex, judgingtest.CatCyber, "Sent by admin")
		got := judgingtest.Must(h.Svc.UpdateEntry(h.Ctx, h.Admin, e.ID, edit(e, "Fixed typo")))(t)
		if got.Title != "Fixed typo" || got.Status != judging.StatusSubmitted {
			t.Fatalf("admin edit: %q %q", got.Title, got.Status)
		}
		in := edit(e, "Fixed typo")
		in.CategoryID = judgingtest.CatCSR
		_, err := h.Svc.UpdateEntry(h.Ctx, h.Admin, e.ID, in)
		judgingtest.WantErr(t, err, judging.ErrAlreadySubmitted)
	})

	t.Run("ErrSubmissionsClosed", func(t *testing.T) {
		// The owner's draft cannot change after submissions_close.
		h := h.On(t)
		e := h.Draft(ex, judgingtest.CatCyber, "Late edit")
		h.Clock.T = judgingtest.Programme().SubmissionsClose
		defer func() { h.Clock.T = judgingtest.T0 }()
		_, err := h.Svc.UpdateEntry(h.Ctx, ex, e.ID, edit(e, "Too late"))
		judgingtest.WantErr(t, err, judging.ErrSubmissionsClosed)
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		// Another exhibitor's entry does not exist for them.
		h := h.On(t)
		e := h.Draft(ex, judgingtest.CatCyber, "Private")
		_, err := h.Svc.UpdateEntry(h.Ctx, h.Exhibitor("Rival"), e.ID, edit(e, "Hijack"))
		judgingtest.WantErr(t, err, judging.ErrNotFound)
	})
}

func TestService_Entry(t *testing.T) {
	h := judgingtest.New(t)
	owner := h.Exhibitor("Acme")
	e := h.Entry(owner, judgingtest.CatCyber, "Firewall")
	assigned, other := h.Judge([]string{judgingtest.CatCyber}), h.Judge([]string{judgingtest.CatCyber})
	h.Assign(assigned, e)
	screen := judgingtest.Must(h.Svc.CreateScreen(h.Ctx, h.Admin, "Hall A"))(t)

	for _, tc := range []struct {
		name  string
		actor judging.Actor
		ok    bool
	}{
		{"the owner sees it", owner, true},
		{"an admin sees it", h.Admin, true},
		{"a judge assigned to it sees it", assigned, true},
		{"another exhibitor gets 404", h.Exhibitor("Rival"), false},
		{"a judge not assigned gets 404", other, false},
		{"the owner's id with another role gets 404", judging.Actor{ID: owner.ID, Role: judging.RoleJudge}, false},
		{"a screen gets 404", judging.Actor{ID: screen.ID, Role: judging.RoleScreen}, false},
		{"the public gets 404", judging.Actor{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := h.On(t)
			got, err := h.Svc.Entry(h.Ctx, tc.actor, e.ID)
			if !tc.ok {
				judgingtest.WantErr(t, err, judging.ErrNotFound)
				return
			}
			if err != nil || got.ID != e.ID {
				t.Fatalf("Entry = %v, %v; want %s", got.ID, err, e.ID)
			}
		})
	}
	t.Run("ErrNotFound/unknown id", func(t *testing.T) {
		h := h.On(t)
		_, err := h.Svc.Entry(h.Ctx, h.Admin, "e_nope")
		judgingtest.WantErr(t, err, judging.ErrNotFound)
	})
}

func TestService_Entries(t *testing.T) {
	// GET /entries → admin: all; exhibitor: own; judge: assigned to them. ?category_id= filters.
	h := judgingtest.New(t)
	a, b := h.Exhibitor("Acme"), h.Exhibitor("Beta")
	a1, a2 := h.Entry(a, judgingtest.CatCyber, "A1"), h.Draft(a, judgingtest.CatDrones, "A2")
	b1 := h.Entry(b, judgingtest.CatCyber, "B1")
	j := h.Judge([]string{judgingtest.CatCyber})
	h.Assign(j, b1)

	for _, tc := range []struct {
		name  string
		actor judging.Actor
		cat   string
		want  []string
	}{
		{"admin: all, drafts included", h.Admin, "", sorted(a1.ID, a2.ID, b1.ID)},
		{"admin: one category", h.Admin, judgingtest.CatCyber, sorted(a1.ID, b1.ID)},
		{"exhibitor: own", a, "", sorted(a1.ID, a2.ID)},
		{"exhibitor: own in one category", a, judgingtest.CatDrones, []string{a2.ID}},
		{"judge: assigned to them", j, "", []string{b1.ID}},
		{"judge: none in another category", j, judgingtest.CatDrones, []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := h.On(t)
			got := judgingtest.Must(h.Svc.Entries(h.Ctx, tc.actor, judging.EntryFilter{CategoryID: tc.cat}))(t)
			if got == nil {
				t.Fatalf("Entries = nil, want a list ([] when empty)")
			}
			if diff := cmp.Diff(tc.want, ids(got)); diff != "" {
				t.Fatalf("entries (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("ErrUnauthorized", func(t *testing.T) {
		h := h.On(t)
		_, err := h.Svc.Entries(h.Ctx, judging.Actor{}, judging.EntryFilter{})
		judgingtest.WantErr(t, err, judging.ErrUnauthorized)
	})
}

// ----- Scores -----

func TestService_SubmitScore(t *testing.T) {
	h := judgingtest.New(t)
	e := h.Entry(h.Exhibitor("Acme"), judgingtest.CatCyber, "Firewall")
	j := h.Judge([]string{judgingtest.CatCyber})
	h.Assign(j, e)
	h.Pub.Take()

	t.Run("OK", func(t *testing.T) {
		// PUT /entries/{id}/scores/me → {entry_id, judge_id, version, total}; total is Σ wᵢ·(sᵢ−minᵢ)/(maxᵢ−minᵢ) / Σ wᵢ × 100.
		h := h.On(t)
		in := judgingtest.Cyber(5, 3)
		in.Comment = "  solid  "
		sc := h.Score(j, e, in)
		want := judging.Score{EntryID: e.ID, JudgeID: j.ID, CategoryID: judgingtest.CatCyber, Version: 1,
			Total: (3*0.5 + 1*0.5) / 4 * 100, Scores: in.Scores, Comment: "solid", At: judgingtest.T0}
		if diff := cmp.Diff(want, sc); diff != "" {
			t.Fatalf("SubmitScore (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]judging.Score{want}, h.Counting(judgingtest.CatCyber)); diff != "" {
			t.Fatalf("counting (-want +got):\n%s", diff)
		}
		h.WantEvents(judging.Event{Type: judging.EventTally, CategoryID: judgingtest.CatCyber}, judging.Event{Type: judging.EventProgress, CategoryID: judgingtest.CatCyber})
		if got, want := len(h.Audit()), 1; got != want {
			t.Fatalf("%d audit records, want %d", got, want)
		}
	})

	t.Run("OK/same body, same version", func(t *testing.T) {
		// Repeating the same body changes nothing (same version), and writes no audit record.
		h := h.On(t)
		before := len(h.Audit())
		in := judgingtest.Cyber(5, 3)
		in.Comment = "solid" // the comment is trimmed before it is compared
		h.Clock.T = judgingtest.T0.Add(time.Minute)
		defer func() { h.Clock.T = judgingtest.T0 }()
		sc := h.Score(j, e, in)
		if got, want := sc.Version, 1; got != want {
			t.Fatalf("version = %d, want %d", got, want)
		}
		if !sc.At.Equal(judgingtest.T0) {
			t.Fatalf("at = %v, want the first version's %v", sc.At, judgingtest.T0)
		}
		if got := len(h.Audit()); got != before {
			t.Fatalf("%d audit records, want %d", got, before)
		}
		hist := judgingtest.Must(h.Store.ScoreHistory(h.Ctx, e.ID))(t)
		if got, want := len(hist[j.ID]), 1; got != want {
			t.Fatalf("%d history versions, want %d", got, want)
		}
	})

	t.Run("OK/changed body, next version", func(t *testing.T) {
		// A changed body bumps version: marks or only the comment; coming back to an older body too.
		h := h.On(t)
		before := len(h.Audit())
		steps := []struct {
			in    judging.ScoreInput
			total float64
		}{
			{judgingtest.Cyber(10, 1), 75},
			{judging.ScoreInput{Scores: judgingtest.Cyber(10, 1).Scores, Comment: "on reflection"}, 75},
			{judgingtest.Cyber(5, 3), 50},
		}
		for i, s := range steps {
			sc := h.Score(j, e, s.in)
			if got, want := sc.Version, 2+i; got != want {
				t.Fatalf("step %d: version = %d, want %d", i, got, want)
			}
			if got, want := sc.Total, s.total; got != want {
				t.Fatalf("step %d: total = %v, want %v", i, got, want)
			}
		}
		if got, want := len(h.Audit()), before+len(steps); got != want {
			t.Fatalf("%d audit records, want %d", got, want)
		}
		hist := judgingtest.Must(h.Store.ScoreHistory(h.Ctx, e.ID))(t)[j.ID]
		for i, sc := range hist {
			if sc.Version != i+1 {
				t.Fatalf("history[%d].version = %d, want %d", i, sc.Version, i+1)
			}
		}
		if got, want := len(hist), 4; got != want {
			t.Fatalf("%d history versions, want %d", got, want)
		}
	})

	t.Run("OK/bounds are inclusive", func(t *testing.T) {
		// Each criterion within its [min, max]: both ends accepted.
		h := h.On(t)
		if got, want := h.Score(j, e, judgingtest.Cyber(0, 1)).Total, 0.0; got != want {
			t.Fatalf("total at every min = %v, want %v", got, want)
		}
		if got, want := h.Score(j, e, judgingtest.Cyber(10, 5)).Total, 100.0; got != want {
			t.Fatalf("total at every max = %v, want %v", got, want)
		}
	})

	for _, tc := range []struct {
		name string
		in   judging.ScoreInput
		code string
	}{
		{"every criterion of the category must be present", judging.ScoreInput{Scores: map[string]float64{"innovation": 5}}, "missing_criterion"},
		{"an unknown criterion is 422", judging.ScoreInput{Scores: map[string]float64{"innovation": 5, "impact": 3, "design": 1}}, "unknown_criterion"},
		{"a score above max is 422", judgingtest.Cyber(10.5, 3), "score_out_of_range"},
		{"a score below min is 422", judgingtest.Cyber(5, 0.5), "score_out_of_range"},
		{"NaN is out of range", judgingtest.Cyber(math.NaN(), 3), "score_out_of_range"},
		{"no scores is 422", judging.ScoreInput{}, "missing_field"},
		{"a comment over 20,000 characters is 422", judging.ScoreInput{Scores: judgingtest.Cyber(5, 3).Scores, Comment: strings.Repeat("é", 20001)}, "too_long"},
	} {
		t.Run("ErrInvalid/"+tc.name, func(t *testing.T) {
			h := h.On(t)
			h.Pub.Take()
			before := len(h.Audit())
			_, err := h.Svc.SubmitScore(h.Ctx, j, e.ID, tc.in)
			judgingtest.WantInvalid(t, err, tc.code)
			if got := len(h.Audit()); got != before {
				t.Fatalf("a refused score wrote an audit record")
			}
			h.WantEvents()
		})
	}

	t.Run("ErrNotAssigned", func(t *testing.T) {
		// Not assigned → 403.
		h := h.On(t)
		other := h.Judge([]string{judgingtest.CatCyber})
		h.Pub.Take()
		_, err := h.Svc.SubmitScore(h.Ctx, other, e.ID, judgingtest.Cyber(5, 3))
		judgingtest.WantErr(t, err, judging.ErrNotAssigned)
		h.WantEvents()
	})

	t.Run("ErrJudgingClosed", func(t *testing.T) {
		// Accepted until judging_close; from then on → 409.
		h := h.On(t)
		before := len(h.Audit())
		h.Clock.T = judgingtest.Programme().JudgingClose
		defer func() { h.Clock.T = judgingtest.T0 }()
		_, err := h.Svc.SubmitScore(h.Ctx, j, e.ID, judgingtest.Cyber(1, 1))
		judgingtest.WantErr(t, err, judging.ErrJudgingClosed)
		if got := len(h.Audit()); got != before {
			t.Fatalf("a refused score wrote an audit record")
		}
		h.Clock.T = judgingtest.Programme().JudgingClose.Add(-time.Millisecond)
		h.Score(j, e, judgingtest.Cyber(1, 1))
	})

	t.Run("ErrForbidden", func(t *testing.T) {
		// Scores are given by judges.
		h := h.On(t)
		_, err := h.Svc.SubmitScore(h.Ctx, h.Admin, e.ID, judgingtest.Cyber(5, 3))
		judgingtest.WantErr(t, err, judging.ErrForbidden)
		_, err = h.Svc.SubmitScore(h.Ctx, judging.Actor{}, e.ID, judgingtest.Cyber(5, 3))
		judgingtest.WantErr(t, err, judging.ErrUnauthorized)
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		h := h.On(t)
		_, err := h.Svc.SubmitScore(h.Ctx, j, "e_nope", judgingtest.Cyber(5, 3))
		judgingtest.WantErr(t, err, judging.ErrNotFound)
	})
}

func TestService_EntryScores(t *testing.T) {
	// GET /entries/{id}/scores (admin) → every judge's current score and its history of versions.
	h := judgingtest.New(t)
	e := h.Entry(h.Exhibitor("Acme"), judgingtest.CatCyber, "Firewall")
	j1, j2 := h.Judge([]string{judgingtest.CatCyber}), h.Judge([]string{judgingtest.CatCyber})
	h.Assign(j1, e)
	h.Assign(j2, e)
	h.Score(j1, e, judgingtest.Cyber(5, 3))
	v2 := h.Score(j1, e, judgingtest.Cyber(10, 5))
	w1 := h.Score(j2, e, judgingtest.Cyber(0, 1))

	got := judgingtest.Must(h.Svc.EntryScores(h.Ctx, h.Admin, e.ID))(t)
	byJudge := map[string]judging.JudgeScores{}
	for _, js := range got {
		byJudge[js.JudgeID] = js
	}
	if got, want := len(got), 2; got != want {
		t.Fatalf("%d judges, want %d", got, want)
	}
	if js := byJudge[j1.ID]; !js.Counting || !cmp.Equal(js.Current, &v2) || len(js.History) != 2 {
		t.Fatalf("judge 1: counting %v current %+v history %d; want version 2 of 2", js.Counting, js.Current, len(js.History))
	}
	if js := byJudge[j2.ID]; !js.Counting || !cmp.Equal(js.Current, &w1) || len(js.History) != 1 {
		t.Fatalf("judge 2: counting %v current %+v history %d; want version 1 of 1", js.Counting, js.Current, len(js.History))
	}
	if name := byJudge[j1.ID].Name; name == "" {
		t.Fatalf("judge name is empty")
	}
	_, err := h.Svc.EntryScores(h.Ctx, j1, e.ID)
	judgingtest.WantErr(t, err, judging.ErrForbidden)
}

func TestService_Queue(t *testing.T) {
	// GET /judge/queue → [{entry, my_score|null}] of their assignments; never anyone else's score.
	h := judgingtest.New(t)
	e1, e2 := h.Entry(h.Exhibitor("Acme"), judgingtest.CatCyber, "One"), h.Entry(h.Exhibitor("Beta"), judgingtest.CatCyber, "Two")
	me, other := h.Judge([]string{judgingtest.CatCyber}), h.Judge([]string{judgingtest.CatCyber})
	h.Assign(me, e1, e2)
	h.Assign(other, e1, e2)
	mine := h.Score(me, e1, judgingtest.Cyber(5, 3))
	h.Score(other, e2, judgingtest.Cyber(10, 5))

	q := judgingtest.Must(h.Svc.Queue(h.Ctx, me))(t)
	got := map[string]*judging.Score{}
	for _, it := range q {
		got[it.Entry.ID] = it.MyScore
	}
	want := map[string]*judging.Score{e1.ID: &mine, e2.ID: nil}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("queue (-want +got):\n%s", diff)
	}
}

func TestService_Progress(t *testing.T) {
	// progress {category_id, scored, expected}: counting scores over assignments.
	h := judgingtest.New(t)
	e1, e2 := h.Entry(h.Exhibitor("Acme"), judgingtest.CatCyber, "One"), h.Entry(h.Exhibitor("Beta"), judgingtest.CatCyber, "Two")
	j1, j2 := h.Judge([]string{judgingtest.CatCyber}), h.Judge([]string{judgingtest.CatCyber})
	h.Assign(j1, e1, e2)
	h.Assign(j2, e1)
	h.Score(j1, e1, judgingtest.Cyber(5, 3))
	h.Score(j1, e1, judgingtest.Cyber(6, 3))
	h.Score(j2, e1, judgingtest.Cyber(5, 3))
	want := judging.Progress{CategoryID: judgingtest.CatCyber, Scored: 2, Expected: 3}
	if diff := cmp.Diff(want, judgingtest.Must(h.Svc.Progress(h.Ctx, judgingtest.CatCyber))(t)); diff != "" {
		t.Fatalf("progress (-want +got):\n%s", diff)
	}
}

func TestService_Judges(t *testing.T) {
	// An admin lists every judge; [] when there are none.
	h := judgingtest.New(t)
	if js := judgingtest.Must(h.Svc.Judges(h.Ctx, h.Admin))(t); js == nil || len(js) != 0 {
		t.Fatalf("Judges = %#v, want []", js)
	}
	a, b := h.Judge([]string{judgingtest.CatCyber}), h.Judge([]string{judgingtest.CatDrones})
	var got []string
	for _, j := range judgingtest.Must(h.Svc.Judges(h.Ctx, h.Admin))(t) {
		got = append(got, j.ID)
	}
	if diff := cmp.Diff(sorted(a.ID, b.ID), got); diff != "" {
		t.Fatalf("judges (-want +got):\n%s", diff)
	}
	_, err := h.Svc.Judges(h.Ctx, a)
	judgingtest.WantErr(t, err, judging.ErrForbidden)
}
