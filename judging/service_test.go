package judging_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/redis/go-redis/v9"

	"github.com/awards-dev/awards/auth"
	"github.com/awards-dev/awards/judging"
	"github.com/awards-dev/awards/judging/redisstore"
	"github.com/awards-dev/awards/judging/redisstore/redistest"
)

// t0 is when every test's clock starts: submissions and judging are open.
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// The fixture's categories.
const (
	catCyber  = "cyber-security"  // mean; innovation 0–10 ×3, impact 1–5 ×1
	catDrones = "drones-robotics" // trimmed_mean; design 0–100 ×1, safety 1–5 ×1
	catCSR    = "csr"             // mean; commitment 1–5 ×2
)

// fixture is the programme every service test starts from: three categories, one of them
// "trimmed_mean", criteria of different weights and ranges.
func fixture() judging.Programme {
	return judging.Programme{
		Name:             "Test Innovation Awards 2026",
		Timezone:         "Europe/Paris",
		SubmissionsClose: t0.Add(24 * time.Hour),
		JudgingClose:     t0.Add(48 * time.Hour),
		CeremonyAt:       t0.Add(72 * time.Hour),
		Categories: []judging.Category{
			{ID: catCyber, Name: "Cyber security", Description: "Protecting systems.", Tally: judging.TallyMean, Criteria: []judging.Criterion{
				{ID: "innovation", Name: "Innovation", Weight: 3, Min: 0, Max: 10},
				{ID: "impact", Name: "Impact", Weight: 1, Min: 1, Max: 5},
			}},
			{ID: catDrones, Name: "Drone / counter-drone systems and robotics", Tally: judging.TallyTrimmedMean, Criteria: []judging.Criterion{
				{ID: "design", Name: "Design", Weight: 1, Min: 0, Max: 100},
				{ID: "safety", Name: "Safety", Weight: 1, Min: 1, Max: 5},
			}},
			{ID: catCSR, Name: "Corporate social responsibility", Tally: judging.TallyMean, Criteria: []judging.Criterion{
				{ID: "commitment", Name: "Commitment", Weight: 2, Min: 1, Max: 5},
			}},
		},
	}
}

// cyber returns marks for the cyber-security category.
func cyber(innovation, impact float64) judging.ScoreInput {
	return judging.ScoreInput{Scores: map[string]float64{"innovation": innovation, "impact": impact}}
}

// drones returns marks for the drones-robotics category.
func drones(design, safety float64) judging.ScoreInput {
	return judging.ScoreInput{Scores: map[string]float64{"design": design, "safety": safety}}
}

// cheapHasher keeps the tests fast; production uses auth.DefaultArgon2id.
var cheapHasher = auth.Argon2id{Time: 1, MemoryKiB: 64, Threads: 1, KeyLen: 32, SaltLen: 16}

const (
	adminEmail    = "admin@awards.test"
	adminPassword = "admin-password-1"
	userPassword  = "correct horse battery"
)

// recorder is a Publisher that keeps what it is told, for tests to check which events a
// change publishes.
type recorder struct {
	mu     sync.Mutex
	events []judging.Event
}

func (r *recorder) publish(_ context.Context, e judging.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
	return nil
}

// take returns the events published since the last take.
func (r *recorder) take() []judging.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.events
	r.events = nil
	return out
}

// harness is a Service on a throwaway real Redis, with a fixed clock and a recording publisher.
type harness struct {
	tb    testing.TB
	ctx   context.Context
	rdb   redis.UniversalClient
	store *redisstore.Store
	svc   *judging.Service
	clock *judging.FixedClock
	pub   *recorder
	admin judging.Actor
	n     *int // for unique emails, shared by copies
}

// on returns the harness reporting to tb: a subtest's helpers fail the subtest.
func (h *harness) on(tb testing.TB) *harness {
	c := *h
	c.tb = tb
	return &c
}

// newBareService returns a harness with no admin and no programme.
func newBareService(tb testing.TB) *harness {
	tb.Helper()
	rdb := redistest.New(tb)
	h := &harness{tb: tb, ctx: tb.Context(), rdb: rdb, store: redisstore.New(rdb), clock: &judging.FixedClock{T: t0}, pub: &recorder{}, n: new(int)}
	svc, err := judging.NewService(judging.Deps{
		Store: h.store, Publisher: judging.PublisherFunc(h.pub.publish), Clock: h.clock,
		Hasher: cheapHasher, Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		tb.Fatalf("NewService: %v", err)
	}
	h.svc = svc
	return h
}

// newService returns a harness with an admin and the fixture programme, and no events yet.
func newService(tb testing.TB) *harness {
	tb.Helper()
	h := newBareService(tb)
	if _, err := h.svc.EnsureAdmin(h.ctx, adminEmail, adminPassword); err != nil {
		tb.Fatalf("EnsureAdmin: %v", err)
	}
	u := must(h.svc.Login(h.ctx, adminEmail, adminPassword, ""))(tb)
	h.admin = judging.Actor{ID: u.ID, Role: judging.RoleAdmin}
	must(h.svc.PutProgramme(h.ctx, h.admin, fixture()))(tb)
	h.pub.take()
	return h
}

// must returns v once the test has checked that err is nil: must(f())(t).
func must[T any](v T, err error) func(testing.TB) T {
	return func(tb testing.TB) T {
		tb.Helper()
		if err != nil {
			tb.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

func wantErr(tb testing.TB, err error, want *judging.Error) {
	tb.Helper()
	if !errors.Is(err, want) {
		tb.Fatalf("err = %v, want %v", err, want)
	}
	if got := judging.ErrorKind(err); got != want.Kind {
		tb.Fatalf("kind of %v = %v, want %v", err, got, want.Kind)
	}
}

// wantInvalid checks err is a 422-kind error with this code.
func wantInvalid(tb testing.TB, err error, code string) {
	tb.Helper()
	var e *judging.Error
	if !errors.As(err, &e) {
		tb.Fatalf("err = %v, want a judging.Error %q", err, code)
	}
	if e.Kind != judging.KindInvalid || e.Code != code {
		tb.Fatalf("err = %v (kind %v), want kind %v code %q", err, e.Kind, judging.KindInvalid, code)
	}
}

func (h *harness) wantEvents(want ...judging.Event) {
	h.tb.Helper()
	sortEvents := cmpopts.SortSlices(func(a, b judging.Event) bool {
		return fmt.Sprint(a) < fmt.Sprint(b)
	})
	if diff := cmp.Diff(want, h.pub.take(), cmpopts.EquateEmpty(), sortEvents); diff != "" {
		h.tb.Fatalf("published events (-want +got):\n%s", diff)
	}
}

// exhibitor registers an exhibitor of company.
func (h *harness) exhibitor(company string) judging.Actor {
	h.tb.Helper()
	*h.n++
	u := must(h.svc.Register(h.ctx, judging.Registration{
		Email: fmt.Sprintf("exhibitor%d@awards.test", *h.n), Password: userPassword, Company: company, Country: "FR",
	}, ""))(h.tb)
	return judging.Actor{ID: u.ID, Role: judging.RoleExhibitor}
}

// draft creates a draft entry.
func (h *harness) draft(owner judging.Actor, cat, title string) judging.Entry {
	h.tb.Helper()
	return must(h.svc.CreateEntry(h.ctx, owner, judging.EntryInput{CategoryID: cat, Title: title}))(h.tb)
}

// entry creates and submits an entry.
func (h *harness) entry(owner judging.Actor, cat, title string) judging.Entry {
	h.tb.Helper()
	e := h.draft(owner, cat, title)
	return must(h.svc.SubmitEntry(h.ctx, owner, e.ID))(h.tb)
}

// judge invites a judge of the categories, with these affiliations.
func (h *harness) judge(cats []string, affiliations ...string) judging.Actor {
	h.tb.Helper()
	*h.n++
	u, _, err := h.svc.CreateJudge(h.ctx, h.admin, judging.JudgeInput{
		Name: fmt.Sprintf("Judge %d", *h.n), Email: fmt.Sprintf("judge%d@awards.test", *h.n),
		Affiliations: affiliations, Categories: cats,
	})
	if err != nil {
		h.tb.Fatalf("CreateJudge: %v", err)
	}
	return judging.Actor{ID: u.ID, Role: judging.RoleJudge}
}

func (h *harness) assign(j judging.Actor, es ...judging.Entry) {
	h.tb.Helper()
	for _, e := range es {
		if err := h.svc.Assign(h.ctx, h.admin, judging.Assignment{JudgeID: j.ID, EntryID: e.ID}); err != nil {
			h.tb.Fatalf("Assign(%s, %s): %v", j.ID, e.ID, err)
		}
	}
}

func (h *harness) score(j judging.Actor, e judging.Entry, in judging.ScoreInput) judging.Score {
	h.tb.Helper()
	return must(h.svc.SubmitScore(h.ctx, j, e.ID, in))(h.tb)
}

// audit returns the decoded audit trail.
func (h *harness) audit() []judging.AuditEvent {
	h.tb.Helper()
	recs := must(h.store.Audit(h.ctx))(h.tb)
	out := make([]judging.AuditEvent, len(recs))
	for i, r := range recs {
		out[i] = decodeAudit(h.tb, r)
	}
	return out
}

func (h *harness) counting(cat string) []judging.Score {
	h.tb.Helper()
	return must(h.store.CategoryScores(h.ctx, cat))(h.tb)
}

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

// ----- Accounts -----

func TestService_Register(t *testing.T) {
	h := newService(t)
	valid := func() judging.Registration {
		return judging.Registration{Email: "alice@example.com", Password: userPassword, Company: "Acme Security", Country: "FR"}
	}

	t.Run("OK", func(t *testing.T) {
		// POST /auth/register creates an exhibitor; the company's spacing and the country's case are normalised.
		h := h.on(t)
		r := valid()
		r.Email, r.Company, r.Country, r.Startup = "  Bob@Example.com ", "  Beta   Systems ", "de", true
		u := must(h.svc.Register(h.ctx, r, testIP))(t)
		if got, want := u.Role, judging.RoleExhibitor; got != want {
			t.Fatalf("role = %q, want %q", got, want)
		}
		got := must(h.svc.User(h.ctx, u.ID))(t)
		want := judging.User{ID: u.ID, Role: judging.RoleExhibitor, Email: "Bob@Example.com", Company: "Beta Systems", Country: "DE", Startup: true, CreatedAt: t0}
		if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(judging.User{}, "PasswordHash")); diff != "" {
			t.Fatalf("stored user (-want +got):\n%s", diff)
		}
		if got.PasswordHash == "" || strings.Contains(got.PasswordHash, userPassword) {
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
			h := h.on(t)
			r := valid()
			r.Email = "invalid-case@example.com" // nothing is stored, so one address serves every case
			tc.change(&r)
			_, err := h.svc.Register(h.ctx, r, testIP)
			wantInvalid(t, err, tc.code)
		})
	}

	t.Run("ErrEmailTaken", func(t *testing.T) {
		// Duplicate email → 409, compared case-insensitively.
		h := h.on(t)
		must(h.svc.Register(h.ctx, valid(), testIP))(t)
		r := valid()
		r.Email = "ALICE@Example.COM"
		_, err := h.svc.Register(h.ctx, r, testIP)
		wantErr(t, err, judging.ErrEmailTaken)
	})
}

func TestService_Login(t *testing.T) {
	h := newService(t)
	reg := judging.Registration{Email: "Carol@Example.com", Password: userPassword, Company: "Carol Corp", Country: "FR"}
	carol := must(h.svc.Register(h.ctx, reg, testIP))(t)

	t.Run("OK", func(t *testing.T) {
		// POST /auth/login with the right password; the email's case does not matter.
		h := h.on(t)
		u := must(h.svc.Login(h.ctx, "carol@example.COM", userPassword, testIP))(t)
		if got, want := u.ID, carol.ID; got != want {
			t.Fatalf("logged in as %q, want %q", got, want)
		}
	})

	t.Run("ErrBadCredentials", func(t *testing.T) {
		// Wrong credentials → 401 (same answer for unknown email).
		h := h.on(t)
		_, wrong := h.svc.Login(h.ctx, "carol@example.com", "not the password", testIP)
		_, unknown := h.svc.Login(h.ctx, "nobody@example.com", userPassword, testIP)
		wantErr(t, wrong, judging.ErrBadCredentials)
		wantErr(t, unknown, judging.ErrBadCredentials)
		if wrong.Error() != unknown.Error() {
			t.Fatalf("wrong password says %q, unknown email says %q: want the same answer", wrong, unknown)
		}
	})

	t.Run("ErrBadCredentials/invited judge without a password", func(t *testing.T) {
		// A judge who has not accepted the invitation has no password: nothing logs in.
		h := h.on(t)
		j := h.judge([]string{catCyber})
		u := must(h.svc.User(h.ctx, j.ID))(t)
		for _, pw := range []string{"", userPassword} {
			_, err := h.svc.Login(h.ctx, u.Email, pw, testIP)
			wantErr(t, err, judging.ErrBadCredentials)
		}
	})

	t.Run("ErrRateLimited", func(t *testing.T) {
		// 10 failed logins for one email from one client IP in 15 min → 429 for that pair, even
		// with the right password.
		h := h.on(t)
		reg := reg
		reg.Email = "dave@example.com"
		must(h.svc.Register(h.ctx, reg, testIP))(t)
		for i := range judging.LoginPairLimit {
			email := "dave@example.com"
			if i%2 == 1 {
				email = " DAVE@example.com" // the same email, counted together
			}
			_, err := h.svc.Login(h.ctx, email, "wrong password", testIP)
			wantErr(t, err, judging.ErrBadCredentials)
		}
		_, err := h.svc.Login(h.ctx, "dave@example.com", userPassword, testIP)
		wantErr(t, err, judging.ErrRateLimited)

		// Only that email: another account still logs in.
		must(h.svc.Login(h.ctx, "carol@example.com", userPassword, testIP))(t)
	})

	t.Run("ErrRateLimited/unknown email", func(t *testing.T) {
		// Failures for an email that has no account count too, so probing is limited alike.
		h := h.on(t)
		for range judging.LoginPairLimit {
			_, err := h.svc.Login(h.ctx, "ghost@example.com", "guess", testIP)
			wantErr(t, err, judging.ErrBadCredentials)
		}
		_, err := h.svc.Login(h.ctx, "ghost@example.com", "guess", testIP)
		wantErr(t, err, judging.ErrRateLimited)
	})

	t.Run("successes are never limited", func(t *testing.T) {
		// Rate limits count failures, not successes.
		h := h.on(t)
		for range 2 * judging.LoginPairLimit {
			must(h.svc.Login(h.ctx, "carol@example.com", userPassword, testIP))(t)
		}
	})
}

func TestService_EnsureAdmin(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		// AWARDS_ADMIN_EMAIL/PASSWORD: create this admin at start if no admin exists — once.
		h := newBareService(t)
		if created := must(h.svc.EnsureAdmin(h.ctx, adminEmail, adminPassword))(t); !created {
			t.Fatalf("first EnsureAdmin created nothing")
		}
		for _, email := range []string{adminEmail, "other-admin@awards.test"} {
			if created := must(h.svc.EnsureAdmin(h.ctx, email, adminPassword))(t); created {
				t.Fatalf("EnsureAdmin(%s) created a second admin", email)
			}
		}
		admins := must(h.store.UsersByRole(h.ctx, judging.RoleAdmin))(t)
		if got, want := len(admins), 1; got != want {
			t.Fatalf("%d admins, want %d", got, want)
		}
		u := must(h.svc.Login(h.ctx, adminEmail, adminPassword, testIP))(t)
		if got, want := u.Role, judging.RoleAdmin; got != want {
			t.Fatalf("role = %q, want %q", got, want)
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		// A bad admin email or a short password is refused, and nothing is created.
		h := newBareService(t)
		_, err := h.svc.EnsureAdmin(h.ctx, "not an email", adminPassword)
		wantInvalid(t, err, "invalid_email")
		_, err = h.svc.EnsureAdmin(h.ctx, adminEmail, "short")
		wantInvalid(t, err, "weak_password")
		if admins := must(h.store.UsersByRole(h.ctx, judging.RoleAdmin))(t); len(admins) != 0 {
			t.Fatalf("admins = %v, want none", admins)
		}
	})

	t.Run("another instance creating the same admin meanwhile", func(t *testing.T) {
		// Two instances starting together with the same AWARDS_ADMIN_EMAIL: the one that loses
		// the race finds the admin it was asked for and must start, not fail with email_taken.
		h := newBareService(t)
		other := must(judging.NewService(judging.Deps{Store: &adminRace{Store: h.store}, Clock: h.clock, Hasher: cheapHasher}))(t)
		must(h.svc.EnsureAdmin(h.ctx, adminEmail, adminPassword))(t)
		created, err := other.EnsureAdmin(h.ctx, adminEmail, adminPassword)
		if err != nil || created {
			t.Fatalf("EnsureAdmin after another instance created the admin = %v, %v; want false, nil", created, err)
		}
	})
}

// adminRace is a Store whose first look for admins happened before another instance created
// one: it answers "no admin" once.
type adminRace struct {
	judging.Store
	looked bool
}

func (s *adminRace) UsersByRole(ctx context.Context, r judging.Role) ([]judging.User, error) {
	if r == judging.RoleAdmin && !s.looked {
		s.looked = true
		return nil, nil
	}
	return s.Store.UsersByRole(ctx, r)
}

func TestService_CreateJudge(t *testing.T) {
	h := newService(t)

	t.Run("OK", func(t *testing.T) {
		// POST /judges (admin) → {id, invite_token}; categories are deduplicated, affiliations' spacing normalised.
		h := h.on(t)
		u, invite, err := h.svc.CreateJudge(h.ctx, h.admin, judging.JudgeInput{
			Name: " Erin ", Email: "erin@jury.test", Affiliations: []string{"  Acme   Security "}, Categories: []string{catCyber, catCSR, catCyber},
		})
		if err != nil {
			t.Fatal(err)
		}
		if invite == "" {
			t.Fatalf("no invite token")
		}
		got := must(h.svc.User(h.ctx, u.ID))(t)
		want := judging.User{ID: u.ID, Role: judging.RoleJudge, Email: "erin@jury.test", Name: "Erin",
			Affiliations: []string{"Acme Security"}, Categories: []string{catCyber, catCSR}, CreatedAt: t0}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("stored judge (-want +got):\n%s", diff)
		}
	})

	for _, tc := range []struct {
		name string
		in   judging.JudgeInput
		code string
	}{
		{"a missing name is 422", judging.JudgeInput{Email: "x1@jury.test", Categories: []string{catCyber}}, "missing_field"},
		{"a bad email is 422", judging.JudgeInput{Name: "X", Email: "x@", Categories: []string{catCyber}}, "invalid_email"},
		{"no categories is 422", judging.JudgeInput{Name: "X", Email: "x2@jury.test"}, "missing_field"},
		{"a category not in the programme is 422", judging.JudgeInput{Name: "X", Email: "x3@jury.test", Categories: []string{"cooking"}}, "unknown_category"},
		{"a blank affiliation is 422", judging.JudgeInput{Name: "X", Email: "x4@jury.test", Categories: []string{catCyber}, Affiliations: []string{"  "}}, "invalid_affiliations"},
	} {
		t.Run("ErrInvalid/"+tc.name, func(t *testing.T) {
			h := h.on(t)
			_, _, err := h.svc.CreateJudge(h.ctx, h.admin, tc.in)
			wantInvalid(t, err, tc.code)
		})
	}

	t.Run("ErrEmailTaken", func(t *testing.T) {
		// A judge's email is unique across every account, case-insensitively.
		h := h.on(t)
		_, _, err := h.svc.CreateJudge(h.ctx, h.admin, judging.JudgeInput{Name: "Dup", Email: "ADMIN@awards.test", Categories: []string{catCyber}})
		wantErr(t, err, judging.ErrEmailTaken)
	})

	t.Run("ErrForbidden", func(t *testing.T) {
		// POST /judges is for admins.
		h := h.on(t)
		in := judging.JudgeInput{Name: "Y", Email: "y@jury.test", Categories: []string{catCyber}}
		_, _, err := h.svc.CreateJudge(h.ctx, h.exhibitor("Y Corp"), in)
		wantErr(t, err, judging.ErrForbidden)
		_, _, err = h.svc.CreateJudge(h.ctx, judging.Actor{}, in)
		wantErr(t, err, judging.ErrUnauthorized)
	})
}

func TestService_AcceptInvite(t *testing.T) {
	h := newService(t)
	invite := func(email string) (judging.User, string) {
		t.Helper()
		u, tok, err := h.svc.CreateJudge(h.ctx, h.admin, judging.JudgeInput{Name: "Judge", Email: email, Categories: []string{catCyber}})
		if err != nil {
			t.Fatal(err)
		}
		return u, tok
	}

	t.Run("OK", func(t *testing.T) {
		// POST /auth/invite: a judge sets a password from an invitation, then logs in with it.
		h := h.on(t)
		u, tok := invite("frank@jury.test")
		got := must(h.svc.AcceptInvite(h.ctx, tok, userPassword))(t)
		if got.ID != u.ID || got.Role != judging.RoleJudge {
			t.Fatalf("AcceptInvite = %s %s, want %s judge", got.ID, got.Role, u.ID)
		}
		if got := must(h.svc.Login(h.ctx, "frank@jury.test", userPassword, testIP))(t); got.ID != u.ID {
			t.Fatalf("login as %s, want %s", got.ID, u.ID)
		}
	})

	t.Run("ErrBadInvite", func(t *testing.T) {
		// A used or unknown invite_token → 401.
		h := h.on(t)
		_, tok := invite("grace@jury.test")
		must(h.svc.AcceptInvite(h.ctx, tok, userPassword))(t)
		_, err := h.svc.AcceptInvite(h.ctx, tok, "another password")
		wantErr(t, err, judging.ErrBadInvite)
		if _, err := h.svc.Login(h.ctx, "grace@jury.test", "another password", testIP); !errors.Is(err, judging.ErrBadCredentials) {
			t.Fatalf("the second use changed the password: login = %v", err)
		}
		for _, bad := range []string{"", "unknown-token", strings.Repeat("a", 300)} {
			_, err := h.svc.AcceptInvite(h.ctx, bad, userPassword)
			wantErr(t, err, judging.ErrBadInvite)
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		// A short password is 422 and leaves the invitation usable.
		h := h.on(t)
		_, tok := invite("heidi@jury.test")
		_, err := h.svc.AcceptInvite(h.ctx, tok, "short")
		wantInvalid(t, err, "weak_password")
		must(h.svc.AcceptInvite(h.ctx, tok, userPassword))(t)
	})

	t.Run("used once when raced", func(t *testing.T) {
		// A one-use invitation accepted by many requests at once succeeds exactly once.
		h := h.on(t)
		_, tok := invite("ivan@jury.test")
		var ok, bad int
		var mu sync.Mutex
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Go(func() {
				_, err := h.svc.AcceptInvite(h.ctx, tok, fmt.Sprintf("password number %d", i))
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
	h := newService(t)
	ex := h.exhibitor("Acme")
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
			h := h.on(t)
			err := h.svc.CheckActor(h.ctx, tc.actor)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("CheckActor = %v, want nil", err)
				}
				return
			}
			wantErr(t, err, tc.want)
		})
	}
}

// ----- Programme -----

func TestService_PutProgramme(t *testing.T) {
	h := newService(t)
	j := h.judge([]string{catCyber})
	e := h.entry(h.exhibitor("Acme"), catCyber, "Firewall")
	h.assign(j, e)
	sc := h.score(j, e, cyber(5, 3))
	h.pub.take()

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
			h := h.on(t)
			p := fixture()
			tc.change(&p)
			_, err := h.svc.PutProgramme(h.ctx, h.admin, p)
			wantErr(t, err, judging.ErrCriteriaFrozen)
			if diff := cmp.Diff(fixture(), must(h.svc.Programme(h.ctx))(t)); diff != "" {
				t.Fatalf("a refused change was stored (-want +got):\n%s", diff)
			}
			h.wantEvents()
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
			h := h.on(t)
			p := fixture()
			tc.change(&p)
			must(h.svc.PutProgramme(h.ctx, h.admin, p))(t)
			if diff := cmp.Diff(p, must(h.svc.Programme(h.ctx))(t)); diff != "" {
				t.Fatalf("stored programme (-want +got):\n%s", diff)
			}
			h.wantEvents(judging.Event{Type: judging.EventProgramme})
			must(h.svc.PutProgramme(h.ctx, h.admin, fixture()))(t) // back, for the next case
			h.pub.take()
		})
	}

	t.Run("OK/the score still counts", func(t *testing.T) {
		// A rename leaves the scored category's scores as they were.
		h := h.on(t)
		p := fixture()
		p.Categories[0].Name = "Cybersecurity"
		must(h.svc.PutProgramme(h.ctx, h.admin, p))(t)
		if diff := cmp.Diff([]judging.Score{sc}, h.counting(catCyber)); diff != "" {
			t.Fatalf("counting scores (-want +got):\n%s", diff)
		}
		must(h.svc.PutProgramme(h.ctx, h.admin, fixture()))(t)
	})

	t.Run("ErrCategoryInUse", func(t *testing.T) {
		// A category that holds entries (even drafts, even unscored) cannot be removed.
		h := h.on(t)
		h.draft(h.exhibitor("CSR Co"), catCSR, "Green")
		p := fixture()
		p.Categories = p.Categories[:2]
		_, err := h.svc.PutProgramme(h.ctx, h.admin, p)
		wantErr(t, err, judging.ErrCategoryInUse)
		if _, ok := func() (*judging.Category, bool) { p := must(h.svc.Programme(h.ctx))(t); return p.Category(catCSR) }(); !ok {
			t.Fatalf("the category was removed")
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		// A programme that breaks a rule is 422.
		h := h.on(t)
		p := fixture()
		p.Categories[2].Criteria[0].Min = 5
		_, err := h.svc.PutProgramme(h.ctx, h.admin, p)
		wantInvalid(t, err, "invalid_programme")
	})

	t.Run("ErrForbidden", func(t *testing.T) {
		// PUT /programme is for admins.
		h := h.on(t)
		_, err := h.svc.PutProgramme(h.ctx, j, fixture())
		wantErr(t, err, judging.ErrForbidden)
	})
}

func TestService_LoadProgramme(t *testing.T) {
	// AWARDS_PROGRAMME: loaded at start if no programme exists; an existing one is kept.
	h := newBareService(t)
	_, err := h.svc.Programme(h.ctx)
	wantErr(t, err, judging.ErrNoProgramme)
	if loaded := must(h.svc.LoadProgramme(h.ctx, fixture()))(t); !loaded {
		t.Fatalf("LoadProgramme into an empty store loaded nothing")
	}
	other := fixture()
	other.Name = "Another"
	if loaded := must(h.svc.LoadProgramme(h.ctx, other))(t); loaded {
		t.Fatalf("LoadProgramme replaced an existing programme")
	}
	if got, want := must(h.svc.Programme(h.ctx))(t).Name, fixture().Name; got != want {
		t.Fatalf("programme name = %q, want %q", got, want)
	}
}

// ----- Entries -----

func TestService_CreateEntry(t *testing.T) {
	h := newService(t)
	owner := must(h.svc.Register(h.ctx, judging.Registration{Email: "own@example.com", Password: userPassword, Company: "Acme Security", Country: "FR", Startup: true}, ""))(t)
	ex := judging.Actor{ID: owner.ID, Role: judging.RoleExhibitor}

	t.Run("OK", func(t *testing.T) {
		// POST /entries → {id, status: "draft", …}; links defaults to []; company, country and startup come from the account.
		h := h.on(t)
		e := must(h.svc.CreateEntry(h.ctx, ex, judging.EntryInput{CategoryID: catCyber, Title: " Firewall ", Summary: "s"}))(t)
		want := judging.Entry{ID: e.ID, CategoryID: catCyber, Title: "Firewall", Summary: "s", Links: []string{}, Status: judging.StatusDraft,
			OwnerID: ex.ID, Company: "Acme Security", Country: "FR", Startup: true, CreatedAt: t0, UpdatedAt: t0}
		if diff := cmp.Diff(want, e); diff != "" {
			t.Fatalf("CreateEntry (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(want, must(h.svc.Entry(h.ctx, ex, e.ID))(t)); diff != "" {
			t.Fatalf("stored entry (-want +got):\n%s", diff)
		}
		h.wantEvents(judging.Event{Type: judging.EventEntry, CategoryID: catCyber, EntryID: e.ID})
	})

	for _, tc := range []struct {
		name string
		in   judging.EntryInput
		code string
	}{
		{"category_id is required", judging.EntryInput{Title: "T"}, "missing_field"},
		{"title is required", judging.EntryInput{CategoryID: catCyber, Title: "  "}, "missing_field"},
		{"a category not in the programme is 422", judging.EntryInput{CategoryID: "cooking", Title: "T"}, "unknown_category"},
		{"links hold http(s) URLs", judging.EntryInput{CategoryID: catCyber, Title: "T", Links: []string{"https://ok.example", "javascript:alert(1)"}}, "invalid_link"},
		{"a link with credentials is refused", judging.EntryInput{CategoryID: catCyber, Title: "T", Links: []string{"https://user:pw@example.com"}}, "invalid_link"},
	} {
		t.Run("ErrInvalid/"+tc.name, func(t *testing.T) {
			h := h.on(t)
			_, err := h.svc.CreateEntry(h.ctx, ex, tc.in)
			wantInvalid(t, err, tc.code)
			h.wantEvents()
		})
	}

	t.Run("ErrForbidden", func(t *testing.T) {
		// POST /entries is for exhibitors.
		h := h.on(t)
		_, err := h.svc.CreateEntry(h.ctx, h.admin, judging.EntryInput{CategoryID: catCyber, Title: "T"})
		wantErr(t, err, judging.ErrForbidden)
	})

	t.Run("ErrSubmissionsClosed", func(t *testing.T) {
		// No new entry from submissions_close on.
		h := h.on(t)
		h.clock.T = fixture().SubmissionsClose
		defer func() { h.clock.T = t0 }()
		_, err := h.svc.CreateEntry(h.ctx, ex, judging.EntryInput{CategoryID: catCyber, Title: "Late"})
		wantErr(t, err, judging.ErrSubmissionsClosed)
		h.wantEvents()
	})
}

func TestService_SubmitEntry(t *testing.T) {
	h := newService(t)
	ex := h.exhibitor("Acme")

	t.Run("OK", func(t *testing.T) {
		// POST /entries/{id}/submit (owner) → {status: "submitted"}.
		h := h.on(t)
		e := h.draft(ex, catCyber, "Firewall")
		h.pub.take()
		h.clock.T = t0.Add(time.Hour)
		defer func() { h.clock.T = t0 }()
		got := must(h.svc.SubmitEntry(h.ctx, ex, e.ID))(t)
		if got.Status != judging.StatusSubmitted || got.SubmittedAt == nil || !got.SubmittedAt.Equal(h.clock.T) {
			t.Fatalf("submitted entry: status %q at %v; want %q at %v", got.Status, got.SubmittedAt, judging.StatusSubmitted, h.clock.T)
		}
		h.wantEvents(judging.Event{Type: judging.EventEntry, CategoryID: catCyber, EntryID: e.ID})
	})

	t.Run("ErrAlreadySubmitted", func(t *testing.T) {
		// Submitting twice is a state conflict (409).
		h := h.on(t)
		e := h.entry(ex, catCyber, "Twice")
		_, err := h.svc.SubmitEntry(h.ctx, ex, e.ID)
		wantErr(t, err, judging.ErrAlreadySubmitted)
	})

	t.Run("ErrSubmissionsClosed", func(t *testing.T) {
		// After submissions_close → 409, and the entry stays a draft.
		h := h.on(t)
		e := h.draft(ex, catCyber, "Late")
		h.clock.T = fixture().SubmissionsClose.Add(time.Second)
		defer func() { h.clock.T = t0 }()
		_, err := h.svc.SubmitEntry(h.ctx, ex, e.ID)
		wantErr(t, err, judging.ErrSubmissionsClosed)
		if got := must(h.svc.Entry(h.ctx, ex, e.ID))(t).Status; got != judging.StatusDraft {
			t.Fatalf("status = %q, want draft", got)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		// Another exhibitor's entry does not exist for them.
		h := h.on(t)
		e := h.draft(ex, catCyber, "Mine")
		_, err := h.svc.SubmitEntry(h.ctx, h.exhibitor("Rival"), e.ID)
		wantErr(t, err, judging.ErrNotFound)
	})
}

func TestService_UpdateEntry(t *testing.T) {
	h := newService(t)
	ex := h.exhibitor("Acme")
	edit := func(e judging.Entry, title string) judging.EntryInput {
		return judging.EntryInput{CategoryID: e.CategoryID, Title: title, Links: []string{"https://acme.example/product"}}
	}

	t.Run("OK", func(t *testing.T) {
		// PUT /entries/{id} (owner while draft): fields replaced, updated_at moves.
		h := h.on(t)
		e := h.draft(ex, catCyber, "Draft")
		h.clock.T = t0.Add(time.Minute)
		defer func() { h.clock.T = t0 }()
		got := must(h.svc.UpdateEntry(h.ctx, ex, e.ID, edit(e, "Better title")))(t)
		if got.Title != "Better title" || !got.UpdatedAt.Equal(h.clock.T) || !got.CreatedAt.Equal(t0) {
			t.Fatalf("updated: %q updated %v created %v", got.Title, got.UpdatedAt, got.CreatedAt)
		}
		if diff := cmp.Diff([]string{"https://acme.example/product"}, got.Links); diff != "" {
			t.Fatalf("links (-want +got):\n%s", diff)
		}
	})

	t.Run("OK/a draft may change category", func(t *testing.T) {
		h := h.on(t)
		e := h.draft(ex, catCyber, "Mover")
		in := edit(e, "Mover")
		in.CategoryID = catDrones
		must(h.svc.UpdateEntry(h.ctx, ex, e.ID, in))(t)
		dr := must(h.svc.Entries(h.ctx, h.admin, judging.EntryFilter{CategoryID: catDrones}))(t)
		cy := must(h.svc.Entries(h.ctx, h.admin, judging.EntryFilter{CategoryID: catCyber}))(t)
		if !slices.Contains(ids(dr), e.ID) || slices.Contains(ids(cy), e.ID) {
			t.Fatalf("entry %s: in drones %v, in cyber %v; want drones only", e.ID, ids(dr), ids(cy))
		}
	})

	t.Run("ErrAlreadySubmitted", func(t *testing.T) {
		// The owner edits while draft — after submit 409.
		h := h.on(t)
		e := h.entry(ex, catCyber, "Sent")
		_, err := h.svc.UpdateEntry(h.ctx, ex, e.ID, edit(e, "Changed"))
		wantErr(t, err, judging.ErrAlreadySubmitted)
		if got := must(h.svc.Entry(h.ctx, ex, e.ID))(t).Title; got != "Sent" {
			t.Fatalf("title = %q, want unchanged", got)
		}
	})

	t.Run("OK/admin after submit", func(t *testing.T) {
		// An admin may edit a submitted entry, but it keeps its category.
		h := h.on(t)
		e := h.entry(ex, catCyber, "Sent by admin")
		got := must(h.svc.UpdateEntry(h.ctx, h.admin, e.ID, edit(e, "Fixed typo")))(t)
		if got.Title != "Fixed typo" || got.Status != judging.StatusSubmitted {
			t.Fatalf("admin edit: %q %q", got.Title, got.Status)
		}
		in := edit(e, "Fixed typo")
		in.CategoryID = catCSR
		_, err := h.svc.UpdateEntry(h.ctx, h.admin, e.ID, in)
		wantErr(t, err, judging.ErrAlreadySubmitted)
	})

	t.Run("ErrSubmissionsClosed", func(t *testing.T) {
		// The owner's draft cannot change after submissions_close.
		h := h.on(t)
		e := h.draft(ex, catCyber, "Late edit")
		h.clock.T = fixture().SubmissionsClose
		defer func() { h.clock.T = t0 }()
		_, err := h.svc.UpdateEntry(h.ctx, ex, e.ID, edit(e, "Too late"))
		wantErr(t, err, judging.ErrSubmissionsClosed)
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		// Another exhibitor's entry does not exist for them.
		h := h.on(t)
		e := h.draft(ex, catCyber, "Private")
		_, err := h.svc.UpdateEntry(h.ctx, h.exhibitor("Rival"), e.ID, edit(e, "Hijack"))
		wantErr(t, err, judging.ErrNotFound)
	})
}

func TestService_Entry(t *testing.T) {
	h := newService(t)
	owner := h.exhibitor("Acme")
	e := h.entry(owner, catCyber, "Firewall")
	assigned, other := h.judge([]string{catCyber}), h.judge([]string{catCyber})
	h.assign(assigned, e)
	screen := must(h.svc.CreateScreen(h.ctx, h.admin, "Hall A"))(t)

	for _, tc := range []struct {
		name  string
		actor judging.Actor
		ok    bool
	}{
		{"the owner sees it", owner, true},
		{"an admin sees it", h.admin, true},
		{"a judge assigned to it sees it", assigned, true},
		{"another exhibitor gets 404", h.exhibitor("Rival"), false},
		{"a judge not assigned gets 404", other, false},
		{"the owner's id with another role gets 404", judging.Actor{ID: owner.ID, Role: judging.RoleJudge}, false},
		{"a screen gets 404", judging.Actor{ID: screen.ID, Role: judging.RoleScreen}, false},
		{"the public gets 404", judging.Actor{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := h.on(t)
			got, err := h.svc.Entry(h.ctx, tc.actor, e.ID)
			if !tc.ok {
				wantErr(t, err, judging.ErrNotFound)
				return
			}
			if err != nil || got.ID != e.ID {
				t.Fatalf("Entry = %v, %v; want %s", got.ID, err, e.ID)
			}
		})
	}
	t.Run("ErrNotFound/unknown id", func(t *testing.T) {
		h := h.on(t)
		_, err := h.svc.Entry(h.ctx, h.admin, "e_nope")
		wantErr(t, err, judging.ErrNotFound)
	})
}

func TestService_Entries(t *testing.T) {
	// GET /entries → admin: all; exhibitor: own; judge: assigned to them. ?category_id= filters.
	h := newService(t)
	a, b := h.exhibitor("Acme"), h.exhibitor("Beta")
	a1, a2 := h.entry(a, catCyber, "A1"), h.draft(a, catDrones, "A2")
	b1 := h.entry(b, catCyber, "B1")
	j := h.judge([]string{catCyber})
	h.assign(j, b1)

	for _, tc := range []struct {
		name  string
		actor judging.Actor
		cat   string
		want  []string
	}{
		{"admin: all, drafts included", h.admin, "", sorted(a1.ID, a2.ID, b1.ID)},
		{"admin: one category", h.admin, catCyber, sorted(a1.ID, b1.ID)},
		{"exhibitor: own", a, "", sorted(a1.ID, a2.ID)},
		{"exhibitor: own in one category", a, catDrones, []string{a2.ID}},
		{"judge: assigned to them", j, "", []string{b1.ID}},
		{"judge: none in another category", j, catDrones, []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := h.on(t)
			got := must(h.svc.Entries(h.ctx, tc.actor, judging.EntryFilter{CategoryID: tc.cat}))(t)
			if got == nil {
				t.Fatalf("Entries = nil, want a list ([] when empty)")
			}
			if diff := cmp.Diff(tc.want, ids(got)); diff != "" {
				t.Fatalf("entries (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("ErrUnauthorized", func(t *testing.T) {
		h := h.on(t)
		_, err := h.svc.Entries(h.ctx, judging.Actor{}, judging.EntryFilter{})
		wantErr(t, err, judging.ErrUnauthorized)
	})
}

// ----- Scores -----

func TestService_SubmitScore(t *testing.T) {
	h := newService(t)
	e := h.entry(h.exhibitor("Acme"), catCyber, "Firewall")
	j := h.judge([]string{catCyber})
	h.assign(j, e)
	h.pub.take()

	t.Run("OK", func(t *testing.T) {
		// PUT /entries/{id}/scores/me → {entry_id, judge_id, version, total}; total is Σ wᵢ·(sᵢ−minᵢ)/(maxᵢ−minᵢ) / Σ wᵢ × 100.
		h := h.on(t)
		in := cyber(5, 3)
		in.Comment = "  solid  "
		sc := h.score(j, e, in)
		want := judging.Score{EntryID: e.ID, JudgeID: j.ID, CategoryID: catCyber, Version: 1,
			Total: (3*0.5 + 1*0.5) / 4 * 100, Scores: in.Scores, Comment: "solid", At: t0}
		if diff := cmp.Diff(want, sc); diff != "" {
			t.Fatalf("SubmitScore (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]judging.Score{want}, h.counting(catCyber)); diff != "" {
			t.Fatalf("counting (-want +got):\n%s", diff)
		}
		h.wantEvents(judging.Event{Type: judging.EventTally, CategoryID: catCyber}, judging.Event{Type: judging.EventProgress, CategoryID: catCyber})
		if got, want := len(h.audit()), 1; got != want {
			t.Fatalf("%d audit records, want %d", got, want)
		}
	})

	t.Run("OK/same body, same version", func(t *testing.T) {
		// Repeating the same body changes nothing (same version), and writes no audit record.
		h := h.on(t)
		before := len(h.audit())
		in := cyber(5, 3)
		in.Comment = "solid" // the comment is trimmed before it is compared
		h.clock.T = t0.Add(time.Minute)
		defer func() { h.clock.T = t0 }()
		sc := h.score(j, e, in)
		if got, want := sc.Version, 1; got != want {
			t.Fatalf("version = %d, want %d", got, want)
		}
		if !sc.At.Equal(t0) {
			t.Fatalf("at = %v, want the first version's %v", sc.At, t0)
		}
		if got := len(h.audit()); got != before {
			t.Fatalf("%d audit records, want %d", got, before)
		}
		hist := must(h.store.ScoreHistory(h.ctx, e.ID))(t)
		if got, want := len(hist[j.ID]), 1; got != want {
			t.Fatalf("%d history versions, want %d", got, want)
		}
	})

	t.Run("OK/changed body, next version", func(t *testing.T) {
		// A changed body bumps version: marks or only the comment; coming back to an older body too.
		h := h.on(t)
		before := len(h.audit())
		steps := []struct {
			in    judging.ScoreInput
			total float64
		}{
			{cyber(10, 1), 75},
			{judging.ScoreInput{Scores: cyber(10, 1).Scores, Comment: "on reflection"}, 75},
			{cyber(5, 3), 50},
		}
		for i, s := range steps {
			sc := h.score(j, e, s.in)
			if got, want := sc.Version, 2+i; got != want {
				t.Fatalf("step %d: version = %d, want %d", i, got, want)
			}
			if got, want := sc.Total, s.total; got != want {
				t.Fatalf("step %d: total = %v, want %v", i, got, want)
			}
		}
		if got, want := len(h.audit()), before+len(steps); got != want {
			t.Fatalf("%d audit records, want %d", got, want)
		}
		hist := must(h.store.ScoreHistory(h.ctx, e.ID))(t)[j.ID]
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
		h := h.on(t)
		if got, want := h.score(j, e, cyber(0, 1)).Total, 0.0; got != want {
			t.Fatalf("total at every min = %v, want %v", got, want)
		}
		if got, want := h.score(j, e, cyber(10, 5)).Total, 100.0; got != want {
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
		{"a score above max is 422", cyber(10.5, 3), "score_out_of_range"},
		{"a score below min is 422", cyber(5, 0.5), "score_out_of_range"},
		{"NaN is out of range", cyber(math.NaN(), 3), "score_out_of_range"},
		{"no scores is 422", judging.ScoreInput{}, "missing_field"},
		{"a comment over 20,000 characters is 422", judging.ScoreInput{Scores: cyber(5, 3).Scores, Comment: strings.Repeat("é", 20001)}, "too_long"},
	} {
		t.Run("ErrInvalid/"+tc.name, func(t *testing.T) {
			h := h.on(t)
			h.pub.take()
			before := len(h.audit())
			_, err := h.svc.SubmitScore(h.ctx, j, e.ID, tc.in)
			wantInvalid(t, err, tc.code)
			if got := len(h.audit()); got != before {
				t.Fatalf("a refused score wrote an audit record")
			}
			h.wantEvents()
		})
	}

	t.Run("ErrNotAssigned", func(t *testing.T) {
		// Not assigned → 403.
		h := h.on(t)
		other := h.judge([]string{catCyber})
		h.pub.take()
		_, err := h.svc.SubmitScore(h.ctx, other, e.ID, cyber(5, 3))
		wantErr(t, err, judging.ErrNotAssigned)
		h.wantEvents()
	})

	t.Run("ErrJudgingClosed", func(t *testing.T) {
		// Accepted until judging_close; from then on → 409.
		h := h.on(t)
		before := len(h.audit())
		h.clock.T = fixture().JudgingClose
		defer func() { h.clock.T = t0 }()
		_, err := h.svc.SubmitScore(h.ctx, j, e.ID, cyber(1, 1))
		wantErr(t, err, judging.ErrJudgingClosed)
		if got := len(h.audit()); got != before {
			t.Fatalf("a refused score wrote an audit record")
		}
		h.clock.T = fixture().JudgingClose.Add(-time.Millisecond)
		h.score(j, e, cyber(1, 1))
	})

	t.Run("ErrForbidden", func(t *testing.T) {
		// Scores are given by judges.
		h := h.on(t)
		_, err := h.svc.SubmitScore(h.ctx, h.admin, e.ID, cyber(5, 3))
		wantErr(t, err, judging.ErrForbidden)
		_, err = h.svc.SubmitScore(h.ctx, judging.Actor{}, e.ID, cyber(5, 3))
		wantErr(t, err, judging.ErrUnauthorized)
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		h := h.on(t)
		_, err := h.svc.SubmitScore(h.ctx, j, "e_nope", cyber(5, 3))
		wantErr(t, err, judging.ErrNotFound)
	})
}

func TestService_EntryScores(t *testing.T) {
	// GET /entries/{id}/scores (admin) → every judge's current score and its history of versions.
	h := newService(t)
	e := h.entry(h.exhibitor("Acme"), catCyber, "Firewall")
	j1, j2 := h.judge([]string{catCyber}), h.judge([]string{catCyber})
	h.assign(j1, e)
	h.assign(j2, e)
	h.score(j1, e, cyber(5, 3))
	v2 := h.score(j1, e, cyber(10, 5))
	w1 := h.score(j2, e, cyber(0, 1))

	got := must(h.svc.EntryScores(h.ctx, h.admin, e.ID))(t)
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
	_, err := h.svc.EntryScores(h.ctx, j1, e.ID)
	wantErr(t, err, judging.ErrForbidden)
}

func TestService_Queue(t *testing.T) {
	// GET /judge/queue → [{entry, my_score|null}] of their assignments; never anyone else's score.
	h := newService(t)
	e1, e2 := h.entry(h.exhibitor("Acme"), catCyber, "One"), h.entry(h.exhibitor("Beta"), catCyber, "Two")
	me, other := h.judge([]string{catCyber}), h.judge([]string{catCyber})
	h.assign(me, e1, e2)
	h.assign(other, e1, e2)
	mine := h.score(me, e1, cyber(5, 3))
	h.score(other, e2, cyber(10, 5))

	q := must(h.svc.Queue(h.ctx, me))(t)
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
	h := newService(t)
	e1, e2 := h.entry(h.exhibitor("Acme"), catCyber, "One"), h.entry(h.exhibitor("Beta"), catCyber, "Two")
	j1, j2 := h.judge([]string{catCyber}), h.judge([]string{catCyber})
	h.assign(j1, e1, e2)
	h.assign(j2, e1)
	h.score(j1, e1, cyber(5, 3))
	h.score(j1, e1, cyber(6, 3))
	h.score(j2, e1, cyber(5, 3))
	want := judging.Progress{CategoryID: catCyber, Scored: 2, Expected: 3}
	if diff := cmp.Diff(want, must(h.svc.Progress(h.ctx, catCyber))(t)); diff != "" {
		t.Fatalf("progress (-want +got):\n%s", diff)
	}
}

func TestService_Judges(t *testing.T) {
	// An admin lists every judge; [] when there are none.
	h := newService(t)
	if js := must(h.svc.Judges(h.ctx, h.admin))(t); js == nil || len(js) != 0 {
		t.Fatalf("Judges = %#v, want []", js)
	}
	a, b := h.judge([]string{catCyber}), h.judge([]string{catDrones})
	var got []string
	for _, j := range must(h.svc.Judges(h.ctx, h.admin))(t) {
		got = append(got, j.ID)
	}
	if diff := cmp.Diff(sorted(a.ID, b.ID), got); diff != "" {
		t.Fatalf("judges (-want +got):\n%s", diff)
	}
	_, err := h.svc.Judges(h.ctx, a)
	wantErr(t, err, judging.ErrForbidden)
}
