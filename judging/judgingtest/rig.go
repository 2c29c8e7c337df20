package judgingtest

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/redis/go-redis/v9"

	"github.com/awards-dev/awards/judging"
	"github.com/awards-dev/awards/judging/redisstore"
	"github.com/awards-dev/awards/judging/redisstore/redistest"
)

// The accounts a rig creates.
const (
	AdminEmail    = "admin@awards.test"
	AdminPassword = "admin-password-1"
	Password      = "correct horse battery" // every exhibitor's
)

// Rig is a Service on a throwaway real Redis, with a fixed clock, CheapHasher and a Recorder.
// Its helpers fail TB; On gives a copy that fails a subtest instead.
type Rig struct {
	TB    testing.TB
	Ctx   context.Context
	RDB   redis.UniversalClient
	Store *redisstore.Store
	Svc   *judging.Service
	Clock *judging.FixedClock // at T0
	Pub   *Recorder
	Admin judging.Actor // set by New
	n     *int          // for unique emails, shared by copies
}

// NewBare returns a rig on a throwaway Redis, with no admin and no programme.
func NewBare(tb testing.TB) *Rig {
	tb.Helper()
	return newRig(tb, redistest.New(tb))
}

// New returns a rig on a throwaway Redis with an admin and the Programme, and no events yet.
func New(tb testing.TB) *Rig {
	tb.Helper()
	return NewOn(tb, redistest.New(tb))
}

// NewOn is New on a Redis the test brings.
func NewOn(tb testing.TB, rdb redis.UniversalClient) *Rig {
	tb.Helper()
	r := newRig(tb, rdb)
	Must(r.Svc.EnsureAdmin(r.Ctx, AdminEmail, AdminPassword))(tb)
	u := Must(r.Svc.Login(r.Ctx, AdminEmail, AdminPassword, ""))(tb)
	r.Admin = judging.Actor{ID: u.ID, Role: judging.RoleAdmin}
	Must(r.Svc.PutProgramme(r.Ctx, r.Admin, Programme()))(tb)
	r.Pub.Take()
	return r
}

func newRig(tb testing.TB, rdb redis.UniversalClient) *Rig {
	tb.Helper()
	r := &Rig{TB: tb, Ctx: tb.Context(), RDB: rdb, Store: redisstore.New(rdb), Clock: &judging.FixedClock{T: T0}, Pub: &Recorder{}, n: new(int)}
	r.Svc = r.NewService(tb, func(*judging.Deps) {})
	return r
}

// On returns the rig reporting to tb: a subtest's helpers fail the subtest.
func (r *Rig) On(tb testing.TB) *Rig {
	c := *r
	c.TB = tb
	return &c
}

// Deps is what the rig's Service is built from.
func (r *Rig) Deps() judging.Deps {
	return judging.Deps{
		Ports: r.Store.Ports(), Publisher: r.Pub, Clock: r.Clock,
		Hasher: CheapHasher, Logger: slog.New(slog.DiscardHandler),
	}
}

// NewService returns another Service on the rig's store, clock and publisher, built from Deps
// as change leaves them.
func (r *Rig) NewService(tb testing.TB, change func(*judging.Deps)) *judging.Service {
	tb.Helper()
	d := r.Deps()
	change(&d)
	return Must(judging.NewService(d))(tb)
}

// Exhibitor registers an exhibitor of company.
func (r *Rig) Exhibitor(company string) judging.Actor {
	r.TB.Helper()
	*r.n++
	u := Must(r.Svc.Register(r.Ctx, judging.Registration{
		Email: fmt.Sprintf("exhibitor%d@awards.test", *r.n), Password: Password, Company: company, Country: "FR",
	}, ""))(r.TB)
	return judging.Actor{ID: u.ID, Role: judging.RoleExhibitor}
}

// Draft creates a draft entry.
func (r *Rig) Draft(owner judging.Actor, cat, title string) judging.Entry {
	r.TB.Helper()
	return Must(r.Svc.CreateEntry(r.Ctx, owner, judging.EntryInput{CategoryID: cat, Title: title}))(r.TB)
}

// Entry creates and submits an entry.
func (r *Rig) Entry(owner judging.Actor, cat, title string) judging.Entry {
	r.TB.Helper()
	e := r.Draft(owner, cat, title)
	return Must(r.Svc.SubmitEntry(r.Ctx, owner, e.ID))(r.TB)
}

// Judge invites a judge of the categories, with these affiliations.
func (r *Rig) Judge(cats []string, affiliations ...string) judging.Actor {
	r.TB.Helper()
	*r.n++
	u, _, err := r.Svc.CreateJudge(r.Ctx, r.Admin, judging.JudgeInput{
		Name: fmt.Sprintf("Judge %d", *r.n), Email: fmt.Sprintf("judge%d@awards.test", *r.n),
		Affiliations: affiliations, Categories: cats,
	})
	if err != nil {
		r.TB.Fatalf("CreateJudge: %v", err)
	}
	return judging.Actor{ID: u.ID, Role: judging.RoleJudge}
}

// Assign assigns the judge to each entry.
func (r *Rig) Assign(j judging.Actor, es ...judging.Entry) {
	r.TB.Helper()
	for _, e := range es {
		if err := r.Svc.Assign(r.Ctx, r.Admin, judging.Assignment{JudgeID: j.ID, EntryID: e.ID}); err != nil {
			r.TB.Fatalf("Assign(%s, %s): %v", j.ID, e.ID, err)
		}
	}
}

// Score submits the judge's marks for the entry.
func (r *Rig) Score(j judging.Actor, e judging.Entry, in judging.ScoreInput) judging.Score {
	r.TB.Helper()
	return Must(r.Svc.SubmitScore(r.Ctx, j, e.ID, in))(r.TB)
}

// ActivePairs returns the current assignments, sorted by entry, then judge.
func (r *Rig) ActivePairs() []judging.CategoryAssignment {
	r.TB.Helper()
	st := Must(r.Store.Assignments(r.Ctx))(r.TB)
	out := slices.Clone(st.Active)
	slices.SortFunc(out, func(a, b judging.CategoryAssignment) int {
		if c := strings.Compare(a.EntryID, b.EntryID); c != 0 {
			return c
		}
		return strings.Compare(a.JudgeID, b.JudgeID)
	})
	return out
}

// Audit returns the decoded audit trail.
func (r *Rig) Audit() []judging.AuditEvent {
	r.TB.Helper()
	recs := Must(r.Store.Audit(r.Ctx))(r.TB)
	out := make([]judging.AuditEvent, len(recs))
	for i, rec := range recs {
		out[i] = DecodeAudit(r.TB, rec)
	}
	return out
}

// Counting returns the counting scores of a category.
func (r *Rig) Counting(cat string) []judging.Score {
	r.TB.Helper()
	return Must(r.Store.CategoryScores(r.Ctx, cat))(r.TB)
}

// WantEvents checks that the events published since the last take are want, in any order.
func (r *Rig) WantEvents(want ...judging.Event) {
	r.TB.Helper()
	sortEvents := cmpopts.SortSlices(func(a, b judging.Event) bool {
		return fmt.Sprint(a) < fmt.Sprint(b)
	})
	if diff := cmp.Diff(want, r.Pub.Take(), cmpopts.EquateEmpty(), sortEvents); diff != "" {
		r.TB.Fatalf("published events (-want +got):\n%s", diff)
	}
}

// Keys lists every key in the rig's Redis, sorted.
func (r *Rig) Keys() []string {
	r.TB.Helper()
	out := Must(r.RDB.Keys(r.Ctx, "*").Result())(r.TB)
	slices.Sort(out)
	return out
}
