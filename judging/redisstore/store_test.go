package redisstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
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

// The keys a test tampers with, as keys.go lays them out under the default prefix.
const (
	auditKey     = "awards:{jury}:audit"
	auditHeadKey = "awards:{jury}:audit:head"
)

const (
	cat      = "cyber-security" // innovation 0–10 ×3, impact 1–5 ×1
	otherCat = "csr"            // commitment 1–5 ×2
)

func programme() judging.Programme {
	return judging.Programme{
		Name: "Store Test Awards", Timezone: "UTC",
		SubmissionsClose: t0.Add(24 * time.Hour), JudgingClose: t0.Add(48 * time.Hour), CeremonyAt: t0.Add(72 * time.Hour),
		Categories: []judging.Category{
			{ID: cat, Name: "Cyber security", Tally: judging.TallyMean, Criteria: []judging.Criterion{
				{ID: "innovation", Name: "Innovation", Weight: 3, Min: 0, Max: 10},
				{ID: "impact", Name: "Impact", Weight: 1, Min: 1, Max: 5},
			}},
			{ID: otherCat, Name: "Corporate social responsibility", Tally: judging.TallyMean, Criteria: []judging.Criterion{
				{ID: "commitment", Name: "Commitment", Weight: 2, Min: 1, Max: 5},
			}},
		},
	}
}

func marks(innovation, impact float64) judging.ScoreInput {
	return judging.ScoreInput{Scores: map[string]float64{"innovation": innovation, "impact": impact}}
}

var cheapHasher = auth.Argon2id{Time: 1, MemoryKiB: 64, Threads: 1, KeyLen: 32, SaltLen: 16}

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
}

// rig is a Service and its Store on a throwaway real Redis, with an admin and the programme.
type rig struct {
	tb    testing.TB
	ctx   context.Context
	rdb   redis.UniversalClient
	store *redisstore.Store
	svc   *judging.Service
	clock *judging.FixedClock
	admin judging.Actor
	n     int
}

func newRig(tb testing.TB) *rig {
	tb.Helper()
	rdb := redistest.New(tb)
	r := &rig{tb: tb, ctx: tb.Context(), rdb: rdb, store: redisstore.New(rdb), clock: &judging.FixedClock{T: t0}}
	r.svc = must(judging.NewService(judging.Deps{Store: r.store, Clock: r.clock, Hasher: cheapHasher, Logger: slog.New(slog.DiscardHandler)}))(tb)
	must(r.svc.EnsureAdmin(r.ctx, "admin@awards.test", "admin-password"))(tb)
	u := must(r.svc.Login(r.ctx, "admin@awards.test", "admin-password", ""))(tb)
	r.admin = judging.Actor{ID: u.ID, Role: judging.RoleAdmin}
	must(r.svc.PutProgramme(r.ctx, r.admin, programme()))(tb)
	return r
}

// entry registers an exhibitor of company and submits an entry of theirs in cat.
func (r *rig) entry(company string) judging.Entry {
	r.tb.Helper()
	r.n++
	u := must(r.svc.Register(r.ctx, judging.Registration{Email: fmt.Sprintf("ex%d@awards.test", r.n), Password: "correct horse battery", Company: company, Country: "FR"}, ""))(r.tb)
	ex := judging.Actor{ID: u.ID, Role: judging.RoleExhibitor}
	e := must(r.svc.CreateEntry(r.ctx, ex, judging.EntryInput{CategoryID: cat, Title: company + " entry"}))(r.tb)
	return must(r.svc.SubmitEntry(r.ctx, ex, e.ID))(r.tb)
}

func (r *rig) judge(affiliations ...string) judging.Actor {
	r.tb.Helper()
	r.n++
	u, _, err := r.svc.CreateJudge(r.ctx, r.admin, judging.JudgeInput{Name: fmt.Sprintf("Judge %d", r.n),
		Email: fmt.Sprintf("judge%d@awards.test", r.n), Affiliations: affiliations, Categories: []string{cat}})
	if err != nil {
		r.tb.Fatalf("CreateJudge: %v", err)
	}
	return judging.Actor{ID: u.ID, Role: judging.RoleJudge}
}

func (r *rig) assign(j judging.Actor, es ...judging.Entry) {
	r.tb.Helper()
	for _, e := range es {
		if err := r.svc.Assign(r.ctx, r.admin, judging.Assignment{JudgeID: j.ID, EntryID: e.ID}); err != nil {
			r.tb.Fatalf("Assign: %v", err)
		}
	}
}

func (r *rig) score(j judging.Actor, e judging.Entry, in judging.ScoreInput) judging.Score {
	r.tb.Helper()
	return must(r.svc.SubmitScore(r.ctx, j, e.ID, in))(r.tb)
}

// write is a ScoreWrite for the store at the programme's current revision.
func (r *rig) write(j judging.Actor, e judging.Entry, body string, total float64) judging.ScoreWrite {
	r.tb.Helper()
	_, rev := must2(r.store.Programme(r.ctx))(r.tb)
	return judging.ScoreWrite{EntryID: e.ID, JudgeID: j.ID, CategoryID: e.CategoryID, ProgrammeRev: rev, Body: body, Total: total, At: r.clock.T}
}

func must2[A, B any](a A, b B, err error) func(testing.TB) (A, B) {
	return func(tb testing.TB) (A, B) {
		tb.Helper()
		if err != nil {
			tb.Fatalf("unexpected error: %v", err)
		}
		return a, b
	}
}

func decodeAudit(tb testing.TB, r judging.AuditRecord) judging.AuditEvent {
	tb.Helper()
	var ev judging.AuditEvent
	if err := json.Unmarshal([]byte(r.Payload), &ev); err != nil {
		tb.Fatalf("audit record %s: %v", r.ID, err)
	}
	return ev
}

// replay rebuilds the counting scores from the audit trail: the last "new" per (entry,
// judge), dropped on "withdraw"; each record's "old" must be what the replay held.
func replay(tb testing.TB, recs []judging.AuditRecord) []judging.Score {
	tb.Helper()
	state := map[[2]string]judging.Score{}
	for i, r := range recs {
		ev := decodeAudit(tb, r)
		k := [2]string{ev.EntryID, ev.JudgeID}
		var held *judging.Score
		if sc, ok := state[k]; ok {
			held = &sc
		}
		if diff := cmp.Diff(held, ev.Old); diff != "" {
			tb.Fatalf("audit record %d (%s): old is not the score that counted (-replayed +recorded):\n%s", i+1, ev.Action, diff)
		}
		switch ev.Action {
		case "score":
			state[k] = *ev.New
		case "withdraw":
			delete(state, k)
		default:
			tb.Fatalf("audit record %d: unknown action %q", i+1, ev.Action)
		}
	}
	out := make([]judging.Score, 0, len(state))
	for _, sc := range state {
		out = append(out, sc)
	}
	sortScores(out)
	return out
}

func sortScores(s []judging.Score) {
	slices.SortFunc(s, func(a, b judging.Score) int {
		if c := strings.Compare(a.EntryID, b.EntryID); c != 0 {
			return c
		}
		return strings.Compare(a.JudgeID, b.JudgeID)
	})
}

// ----- Accounts -----

func TestStore_CreateUser(t *testing.T) {
	ctx := t.Context()
	s := redisstore.New(redistest.New(t))
	alice := judging.User{ID: "u_alice", Role: judging.RoleExhibitor, Email: "Alice@Example.com", PasswordHash: "$hash", Company: "Acme", Country: "FR", Startup: true, CreatedAt: t0}

	t.Run("OK", func(t *testing.T) {
		// A stored user reads back whole, by id and by email compared case-insensitively.
		if err := s.CreateUser(ctx, alice, judging.Invitation{}); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(alice, must(s.User(ctx, alice.ID))(t)); diff != "" {
			t.Fatalf("User (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(alice, must(s.UserByEmail(ctx, " alice@EXAMPLE.com"))(t)); diff != "" {
			t.Fatalf("UserByEmail (-want +got):\n%s", diff)
		}
	})

	t.Run("ErrEmailTaken", func(t *testing.T) {
		// An email (case-insensitive) belongs to one account; the loser writes nothing.
		dup := judging.User{ID: "u_dup", Role: judging.RoleAdmin, Email: "ALICE@example.com", CreatedAt: t0}
		wantErr(t, s.CreateUser(ctx, dup, judging.Invitation{}), judging.ErrEmailTaken)
		_, err := s.User(ctx, dup.ID)
		wantErr(t, err, judging.ErrNotFound)
		if admins := must(s.UsersByRole(ctx, judging.RoleAdmin))(t); len(admins) != 0 {
			t.Fatalf("admins = %v, want none", admins)
		}
	})

	t.Run("OK/accounts without an email", func(t *testing.T) {
		// Screens have no email: they claim none, so there can be many.
		for _, id := range []string{"s_1", "s_2"} {
			if err := s.CreateUser(ctx, judging.User{ID: id, Role: judging.RoleScreen, Name: id, CreatedAt: t0}, judging.Invitation{}); err != nil {
				t.Fatalf("CreateUser(%s): %v", id, err)
			}
		}
		screens := must(s.UsersByRole(ctx, judging.RoleScreen))(t)
		if got, want := len(screens), 2; got != want {
			t.Fatalf("%d screens, want %d", got, want)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := s.User(ctx, "u_nobody")
		wantErr(t, err, judging.ErrNotFound)
		_, err = s.UserByEmail(ctx, "nobody@example.com")
		wantErr(t, err, judging.ErrNotFound)
	})
}

func TestStore_RedeemInvite(t *testing.T) {
	ctx := t.Context()
	s := redisstore.New(redistest.New(t))
	j := judging.User{ID: "u_judge", Role: judging.RoleJudge, Email: "j@jury.test", Categories: []string{cat}, CreatedAt: t0}
	if err := s.CreateUser(ctx, j, judging.Invitation{Hash: "invitehash", TTL: time.Hour}); err != nil {
		t.Fatal(err)
	}
	u := must(s.RedeemInvite(ctx, "invitehash", "$pw"))(t)
	if got, want := u.PasswordHash, "$pw"; got != want {
		t.Fatalf("password hash = %q, want %q", got, want)
	}
	if got := must(s.User(ctx, j.ID))(t).PasswordHash; got != "$pw" {
		t.Fatalf("stored password hash = %q", got)
	}
	_, err := s.RedeemInvite(ctx, "invitehash", "$other")
	wantErr(t, err, judging.ErrBadInvite)
	_, err = s.RedeemInvite(ctx, "unknown", "$other")
	wantErr(t, err, judging.ErrBadInvite)
}

func TestStore_ReserveAttempt(t *testing.T) {
	ctx := t.Context()
	rdb := redistest.New(t)
	s := redisstore.New(rdb)
	lim := func(key string, n int64, w time.Duration) judging.Limit {
		return judging.Limit{Key: key, Max: n, Window: w}
	}
	count := func(tb testing.TB, key string) int64 {
		tb.Helper()
		n, err := rdb.Get(ctx, "awards:{rl}:"+key).Int64()
		if errors.Is(err, redis.Nil) {
			return 0
		}
		return must(n, err)(tb)
	}

	t.Run("OK", func(t *testing.T) {
		// Each reservation counts one attempt on every counter, under the {rl} hash tag, in a
		// window that starts at the first attempt.
		limits := []judging.Limit{lim("ok:a", 3, time.Hour), lim("ok:b", 5, time.Hour)}
		for range 3 {
			if wait := must(s.ReserveAttempt(ctx, limits))(t); wait != 0 {
				t.Fatalf("ReserveAttempt under the limit = %v, want 0", wait)
			}
		}
		if a, b := count(t, "ok:a"), count(t, "ok:b"); a != 3 || b != 3 {
			t.Fatalf("counters = %d, %d; want 3, 3", a, b)
		}
		ttl := must(rdb.PTTL(ctx, "awards:{rl}:ok:a").Result())(t)
		if ttl <= 0 || ttl > time.Hour {
			t.Fatalf("counter TTL = %v, want within (0, 1h]", ttl)
		}
	})

	t.Run("ErrFull counts nothing and says how long", func(t *testing.T) {
		// When one counter is full nothing is counted, and the wait is the longest time left
		// of the full counters.
		full := []judging.Limit{lim("full:short", 1, time.Minute), lim("full:long", 1, time.Hour), lim("full:free", 100, time.Hour)}
		must(s.ReserveAttempt(ctx, full))(t)
		for range 3 {
			wait := must(s.ReserveAttempt(ctx, full))(t)
			if wait <= time.Minute || wait > time.Hour {
				t.Fatalf("ReserveAttempt on full counters = %v, want within (1m, 1h]", wait)
			}
		}
		if got := count(t, "full:free"); got != 1 {
			t.Fatalf("the free counter = %d after refusals, want 1: a refusal counts nothing", got)
		}
	})

	t.Run("the window is never extended", func(t *testing.T) {
		// The window starts at the first attempt; later attempts, even with a longer window, do
		// not move its end.
		must(s.ReserveAttempt(ctx, []judging.Limit{lim("fixed", 10, time.Hour)}))(t)
		must(s.ReserveAttempt(ctx, []judging.Limit{lim("fixed", 10, 10*time.Hour)}))(t)
		if ttl := must(rdb.PTTL(ctx, "awards:{rl}:fixed").Result())(t); ttl <= 0 || ttl > time.Hour {
			t.Fatalf("counter TTL = %v after a second attempt, want within (0, 1h]", ttl)
		}
	})

	t.Run("the window ends", func(t *testing.T) {
		// Once the window is over, attempts are counted again.
		short := []judging.Limit{lim("short", 1, 20*time.Millisecond)}
		must(s.ReserveAttempt(ctx, short))(t)
		deadline := time.Now().Add(5 * time.Second)
		for must(s.ReserveAttempt(ctx, short))(t) != 0 {
			if time.Now().After(deadline) {
				t.Fatalf("the counter outlived its window")
			}
			time.Sleep(5 * time.Millisecond) // polling the expiry, with a deadline
		}
	})

	t.Run("concurrent reservations never pass the max", func(t *testing.T) {
		// Parallel attempts cannot pass the limit: of 50 racing, exactly Max are counted.
		limits := []judging.Limit{lim("race:pair", 10, time.Hour), lim("race:ip", 100, time.Hour)}
		var wg sync.WaitGroup
		var reserved atomic.Int64
		for range 50 {
			wg.Go(func() {
				wait, err := s.ReserveAttempt(ctx, limits)
				if err != nil {
					t.Errorf("ReserveAttempt: %v", err)
				}
				if wait == 0 {
					reserved.Add(1)
				}
			})
		}
		wg.Wait()
		if got := reserved.Load(); got != 10 {
			t.Fatalf("%d of 50 parallel attempts reserved, want 10", got)
		}
		if got := count(t, "race:ip"); got != 10 {
			t.Fatalf("the other counter = %d, want 10", got)
		}
	})
}

func TestStore_ReleaseAttempt(t *testing.T) {
	ctx := t.Context()
	rdb := redistest.New(t)
	s := redisstore.New(rdb)
	limits := []judging.Limit{{Key: "rel:a", Max: 2, Window: time.Hour}}

	t.Run("OK", func(t *testing.T) {
		// A released attempt frees its place, and the window keeps its end.
		must(s.ReserveAttempt(ctx, limits))(t)
		must(s.ReserveAttempt(ctx, limits))(t)
		if wait := must(s.ReserveAttempt(ctx, limits))(t); wait == 0 {
			t.Fatalf("a third attempt over a max of 2 was reserved")
		}
		must(0, s.ReleaseAttempt(ctx, limits))(t)
		if wait := must(s.ReserveAttempt(ctx, limits))(t); wait != 0 {
			t.Fatalf("after a release the attempt waits %v, want 0", wait)
		}
		if ttl := must(rdb.PTTL(ctx, "awards:{rl}:rel:a").Result())(t); ttl <= 0 {
			t.Fatalf("counter TTL = %v after a release, want the window kept", ttl)
		}
	})

	t.Run("never below zero nor a new counter", func(t *testing.T) {
		// Releasing more than was reserved stops at zero; releasing an absent counter creates none.
		one := []judging.Limit{{Key: "rel:one", Max: 5, Window: time.Hour}}
		must(s.ReserveAttempt(ctx, one))(t)
		for range 3 {
			must(0, s.ReleaseAttempt(ctx, one))(t)
		}
		if got := must(rdb.Get(ctx, "awards:{rl}:rel:one").Int64())(t); got != 0 {
			t.Fatalf("counter = %d, want 0", got)
		}
		must(0, s.ReleaseAttempt(ctx, []judging.Limit{{Key: "rel:none", Max: 5, Window: time.Hour}}))(t)
		if n := must(rdb.Exists(ctx, "awards:{rl}:rel:none").Result())(t); n != 0 {
			t.Fatalf("ReleaseAttempt created a counter")
		}
	})
}

func TestStore_ReserveAttempt_cluster(t *testing.T) {
	// Counters live in Redis so that they hold across instances, Redis Cluster included: all
	// the counters of one attempt share a hash tag, so the one script may touch them.
	ctx := t.Context()
	s := redisstore.New(redistest.Cluster(t))
	limits := []judging.Limit{
		{Key: "login:pair:x", Max: 1, Window: time.Hour},
		{Key: "login:email:y", Max: 5, Window: time.Hour},
		{Key: "login:ip:z", Max: 5, Window: time.Hour},
	}
	if wait := must(s.ReserveAttempt(ctx, limits))(t); wait != 0 {
		t.Fatalf("first attempt waits %v, want 0", wait)
	}
	if wait := must(s.ReserveAttempt(ctx, limits))(t); wait <= 0 {
		t.Fatalf("second attempt over a max of 1 waits %v, want > 0", wait)
	}
	must(0, s.ReleaseAttempt(ctx, limits))(t)
}

func TestStore_EnsureSecret(t *testing.T) {
	// AWARDS_JWT_SECRET default: generated once, kept in the store — the first candidate wins.
	ctx := t.Context()
	s := redisstore.New(redistest.New(t))
	first := must(s.EnsureSecret(ctx, "jwt", []byte("first-secret")))(t)
	second := must(s.EnsureSecret(ctx, "jwt", []byte("second-secret")))(t)
	if string(first) != "first-secret" || string(second) != "first-secret" {
		t.Fatalf("secrets = %q, %q; want the first both times", first, second)
	}
}

// ----- Programme -----

func TestStore_PutProgramme(t *testing.T) {
	r := newRig(t)
	s, ctx := r.store, r.ctx
	p, rev := must2(s.Programme(ctx))(t)
	if diff := cmp.Diff(programme(), p); diff != "" {
		t.Fatalf("Programme (-want +got):\n%s", diff)
	}

	t.Run("ErrStale", func(t *testing.T) {
		// The programme is replaced only if it is still at the revision read.
		_, err := s.PutProgramme(ctx, p, rev-1, nil, nil)
		wantErr(t, err, judging.ErrStale)
	})

	t.Run("OK", func(t *testing.T) {
		p.Name = "Renamed"
		next := must(s.PutProgramme(ctx, p, rev, nil, nil))(t)
		if next != rev+1 {
			t.Fatalf("revision = %d, want %d", next, rev+1)
		}
		got, gotRev := must2(s.Programme(ctx))(t)
		if got.Name != "Renamed" || gotRev != next {
			t.Fatalf("Programme = %q at %d", got.Name, gotRev)
		}
		rev = next
	})

	t.Run("ErrCriteriaFrozen", func(t *testing.T) {
		// A category that was ever scored keeps its scoring, even after the score stopped counting.
		e, j := r.entry("Acme"), r.judge()
		r.assign(j, e)
		r.score(j, e, marks(5, 3))
		if err := r.svc.Recuse(ctx, j, e.ID); err != nil {
			t.Fatal(err)
		}
		_, rev = must2(s.Programme(ctx))(t)
		_, err := s.PutProgramme(ctx, p, rev, []string{otherCat, cat}, nil)
		wantErr(t, err, judging.ErrCriteriaFrozen)
		must(s.PutProgramme(ctx, p, rev, []string{otherCat}, nil))(t)
	})

	t.Run("ErrCategoryInUse", func(t *testing.T) {
		_, rev = must2(s.Programme(ctx))(t)
		_, err := s.PutProgramme(ctx, p, rev, nil, []string{cat})
		wantErr(t, err, judging.ErrCategoryInUse)
	})

	t.Run("ErrNoProgramme", func(t *testing.T) {
		_, _, err := redisstore.New(redistest.New(t)).Programme(ctx)
		wantErr(t, err, judging.ErrNoProgramme)
	})
}

// ----- Entries -----

func TestStore_Entries(t *testing.T) {
	ctx := t.Context()
	s := redisstore.New(redistest.New(t))
	mk := func(id, owner, category string, at time.Duration) judging.Entry {
		e := judging.Entry{ID: id, CategoryID: category, Title: id, Links: []string{}, Status: judging.StatusDraft, OwnerID: owner, CreatedAt: t0.Add(at), UpdatedAt: t0.Add(at)}
		if err := s.CreateEntry(ctx, e, judging.DefaultMaxEntriesPerExhibitor); err != nil {
			t.Fatal(err)
		}
		return e
	}
	// Created out of id order, so that the order seen is the creation order.
	c := mk("e_c", "u_1", cat, 1*time.Second)
	a := mk("e_a", "u_2", cat, 2*time.Second)
	b := mk("e_b", "u_1", otherCat, 3*time.Second)
	if _, err := s.Assign(ctx, []judging.CategoryAssignment{
		{Assignment: judging.Assignment{JudgeID: "u_j", EntryID: b.ID}, CategoryID: otherCat},
		{Assignment: judging.Assignment{JudgeID: "u_j", EntryID: c.ID}, CategoryID: cat},
	}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		scope judging.EntryScope
		want  []string
	}{
		{"every entry, in creation order", judging.EntryScope{}, []string{c.ID, a.ID, b.ID}},
		{"one owner's", judging.EntryScope{OwnerID: "u_1"}, []string{c.ID, b.ID}},
		{"one judge's assigned", judging.EntryScope{JudgeID: "u_j"}, []string{c.ID, b.ID}},
		{"one category's", judging.EntryScope{CategoryID: cat}, []string{c.ID, a.ID}},
		{"nobody's", judging.EntryScope{OwnerID: "u_none"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, e := range must(s.Entries(ctx, tc.scope))(t) {
				got = append(got, e.ID)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Fatalf("entries (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("SubmitEntry", func(t *testing.T) {
		// A draft moves to submitted once; after that 409; an unknown id 404.
		got := must(s.SubmitEntry(ctx, a.ID, t0.Add(time.Hour)))(t)
		if got.Status != judging.StatusSubmitted || got.SubmittedAt == nil || !got.SubmittedAt.Equal(t0.Add(time.Hour)) {
			t.Fatalf("submitted: %q at %v", got.Status, got.SubmittedAt)
		}
		_, err := s.SubmitEntry(ctx, a.ID, t0.Add(2*time.Hour))
		wantErr(t, err, judging.ErrAlreadySubmitted)
		_, err = s.SubmitEntry(ctx, "e_nope", t0)
		wantErr(t, err, judging.ErrNotFound)
	})

	t.Run("UpdateEntry", func(t *testing.T) {
		// A submitted entry: no owner edits (draftOnly) and never another category; status survives an edit.
		edit := a
		edit.Title = "edited"
		_, err := s.UpdateEntry(ctx, edit, true)
		wantErr(t, err, judging.ErrAlreadySubmitted)
		got := must(s.UpdateEntry(ctx, edit, false))(t)
		if got.Title != "edited" || got.Status != judging.StatusSubmitted || got.SubmittedAt == nil {
			t.Fatalf("admin edit: %q %q %v", got.Title, got.Status, got.SubmittedAt)
		}
		edit.CategoryID = otherCat
		_, err = s.UpdateEntry(ctx, edit, false)
		wantErr(t, err, judging.ErrAlreadySubmitted)

		moved := c
		moved.CategoryID = otherCat
		must(s.UpdateEntry(ctx, moved, true))(t)
		var inOther []string
		for _, e := range must(s.Entries(ctx, judging.EntryScope{CategoryID: otherCat}))(t) {
			inOther = append(inOther, e.ID)
		}
		if diff := cmp.Diff([]string{c.ID, b.ID}, inOther); diff != "" {
			t.Fatalf("entries of %s after a draft moved there, in creation order (-want +got):\n%s", otherCat, diff)
		}

		ghost := a
		ghost.ID = "e_nope"
		_, err = s.UpdateEntry(ctx, ghost, false)
		wantErr(t, err, judging.ErrNotFound)
	})
}

// ----- Assignments and scores -----

func TestStore_Assign(t *testing.T) {
	// Adds assignments that are not there yet, skipping recused pairs, in batches of any size.
	ctx := t.Context()
	s := redisstore.New(redistest.New(t))
	var as []judging.CategoryAssignment
	for e := range 120 {
		for j := range 10 {
			as = append(as, judging.CategoryAssignment{Assignment: judging.Assignment{JudgeID: fmt.Sprintf("u_%d", j), EntryID: fmt.Sprintf("e_%d", e)}, CategoryID: cat})
		}
	}
	if got, want := must(s.Assign(ctx, as))(t), len(as); got != want {
		t.Fatalf("added %d, want %d", got, want)
	}
	if got, want := must(s.Assign(ctx, as))(t), 0; got != want {
		t.Fatalf("added again %d, want %d", got, want)
	}
	st := must(s.Assignments(ctx))(t)
	if got, want := len(st.Active), len(as); got != want {
		t.Fatalf("%d active, want %d", got, want)
	}
	if got, want := must(s.Progress(ctx, cat))(t).Expected, len(as); got != want {
		t.Fatalf("expected = %d, want %d", got, want)
	}

	first := as[0]
	existed := must(s.Withdraw(ctx, first, "recused", first.JudgeID, t0))(t)
	if !existed {
		t.Fatalf("Withdraw reported no assignment")
	}
	if existed := must(s.Withdraw(ctx, first, "recused", first.JudgeID, t0))(t); existed {
		t.Fatalf("a second Withdraw reported an assignment")
	}
	if got := must(s.Assign(ctx, as[:1]))(t); got != 0 {
		t.Fatalf("a recused pair was assigned again")
	}
	if ok := must(s.Assigned(ctx, first.EntryID, first.JudgeID))(t); ok {
		t.Fatalf("recused pair still assigned")
	}
	st = must(s.Assignments(ctx))(t)
	if diff := cmp.Diff([]judging.Assignment{first.Assignment}, st.Recused); diff != "" {
		t.Fatalf("recused (-want +got):\n%s", diff)
	}
	if n := len(must(s.Audit(ctx))(t)); n != 0 {
		t.Fatalf("withdrawing an unscored assignment wrote %d audit records", n)
	}
}

// save is SaveScore without its changed flag.
func save(s *redisstore.Store, ctx context.Context, w judging.ScoreWrite) (judging.Score, error) {
	sc, _, err := s.SaveScore(ctx, w)
	return sc, err
}

func TestStore_SaveScore(t *testing.T) {
	r := newRig(t)
	s, ctx := r.store, r.ctx
	e, j := r.entry("Acme"), r.judge()
	r.assign(j, e)

	t.Run("ErrStale", func(t *testing.T) {
		// Written only if the programme is still at the revision the total was computed under.
		w := r.write(j, e, `{"comment":"","scores":{"impact":3,"innovation":5}}`, 50)
		w.ProgrammeRev--
		_, err := save(s, ctx, w)
		wantErr(t, err, judging.ErrStale)
		if n := len(must(s.Audit(ctx))(t)); n != 0 {
			t.Fatalf("a stale write left %d audit records", n)
		}
	})

	t.Run("ErrNotAssigned", func(t *testing.T) {
		_, err := save(s, ctx, r.write(r.judge(), e, `{"comment":"","scores":{"impact":3,"innovation":5}}`, 50))
		wantErr(t, err, judging.ErrNotAssigned)
	})

	t.Run("OK", func(t *testing.T) {
		// One atomic write: the counting score, its history, the audit record and the head.
		body := `{"comment":"x","scores":{"impact":3,"innovation":5}}`
		sc := must(save(s, ctx, r.write(j, e, body, 0.1+0.2)))(t)
		want := judging.Score{EntryID: e.ID, JudgeID: j.ID, CategoryID: cat, Version: 1, Total: 0.1 + 0.2,
			Scores: map[string]float64{"impact": 3, "innovation": 5}, Comment: "x", At: t0}
		if diff := cmp.Diff(want, sc); diff != "" {
			t.Fatalf("SaveScore (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]judging.Score{want}, must(s.CategoryScores(ctx, cat))(t)); diff != "" {
			t.Fatalf("CategoryScores (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(map[string][]judging.Score{j.ID: {want}}, must(s.ScoreHistory(ctx, e.ID))(t)); diff != "" {
			t.Fatalf("ScoreHistory (-want +got):\n%s", diff)
		}
		recs := must(s.Audit(ctx))(t)
		if got, want := must(s.AuditHead(ctx))(t), recs[len(recs)-1].Hash; got != want {
			t.Fatalf("head = %q, want the last record's hash %q", got, want)
		}

		same, changed, err := s.SaveScore(ctx, r.write(j, e, body, 0.1+0.2))
		if err != nil || changed {
			t.Fatalf("same body again: changed %v, err %v; want an unchanged score", changed, err)
		}
		if diff := cmp.Diff(want, same); diff != "" {
			t.Fatalf("same body again (-want +got):\n%s", diff)
		}
		next := must(save(s, ctx, r.write(j, e, `{"comment":"y","scores":{"impact":3,"innovation":5}}`, 73.33333333333333)))(t)
		if next.Version != 2 || next.Total != 73.33333333333333 {
			t.Fatalf("changed body: version %d total %v; want 2, 73.33333333333333", next.Version, next.Total)
		}
		if got, want := len(must(s.Audit(ctx))(t)), 2; got != want {
			t.Fatalf("%d audit records, want %d", got, want)
		}
	})

	t.Run("OK/totals and marks round-trip exactly", func(t *testing.T) {
		// Nothing is lost between the Go total and what a tally reads back.
		e2 := r.entry("Beta")
		r.assign(j, e2)
		for i, total := range []float64{1e-300, 5e-324, 100, 0, 66.66666666666667, 12.345678901234567} {
			body := fmt.Sprintf(`{"comment":"%d","scores":{"impact":1.0000000000000002,"innovation":%v}}`, i, total)
			must(save(s, ctx, r.write(j, e2, body, total)))(t)
			var got judging.Score
			for _, sc := range must(s.CategoryScores(ctx, cat))(t) {
				if sc.EntryID == e2.ID {
					got = sc
				}
			}
			if got.Total != total || got.Scores["impact"] != 1.0000000000000002 {
				t.Fatalf("total %v read back as %v; impact as %v", total, got.Total, got.Scores["impact"])
			}
		}
	})
}

func TestStore_Reveal(t *testing.T) {
	// Step reveals count places up to the category's places; the last reveals the category; a whole reveal clears the count.
	ctx := t.Context()
	s := redisstore.New(redistest.New(t))
	for want := 1; want <= 3; want++ {
		if got := must(s.RevealStep(ctx, cat, 3))(t); got != want {
			t.Fatalf("step %d shows %d places", want, got)
		}
		rev, part := must2(s.Ceremony(ctx))(t)
		wantRev, wantPart := []string{}, map[string]int{cat: want}
		if want == 3 {
			wantRev, wantPart = []string{cat}, map[string]int{}
		}
		if diff := cmp.Diff(wantRev, rev, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("step %d revealed (-want +got):\n%s", want, diff)
		}
		if diff := cmp.Diff(wantPart, part, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("step %d partial (-want +got):\n%s", want, diff)
		}
	}
	if got := must(s.RevealStep(ctx, cat, 3))(t); got != 3 {
		t.Fatalf("a step after the reveal shows %d places, want 3", got)
	}
	// Freeze: being revealed with 0 places shown, unless revealed or being revealed already.
	must(0, s.Freeze(ctx, cat))(t)
	must(0, s.Freeze(ctx, otherCat))(t)
	if _, part := must2(s.Ceremony(ctx))(t); !cmp.Equal(part, map[string]int{otherCat: 0}) {
		t.Fatalf("partial after Freeze = %v, want %s: 0 only", part, otherCat)
	}
	if got := must(s.RevealStep(ctx, otherCat, 5))(t); got != 1 {
		t.Fatalf("the first step after Freeze shows %d places, want 1", got)
	}
	must(0, s.Freeze(ctx, otherCat))(t)
	if _, part := must2(s.Ceremony(ctx))(t); !cmp.Equal(part, map[string]int{otherCat: 1}) {
		t.Fatalf("partial after a second Freeze = %v, want %s: 1", part, otherCat)
	}
	if err := s.Reveal(ctx, otherCat); err != nil {
		t.Fatal(err)
	}
	rev, part := must2(s.Ceremony(ctx))(t)
	if diff := cmp.Diff([]string{otherCat, cat}, rev); diff != "" { // sorted
		t.Fatalf("revealed (-want +got):\n%s", diff)
	}
	if len(part) != 0 {
		t.Fatalf("partial = %v, want none", part)
	}
}

// ----- The audit trail -----

func TestStore_Audit_paging(t *testing.T) {
	// The whole trail is returned, oldest first, however many pages it takes.
	r := newRig(t)
	e, j := r.entry("Acme"), r.judge()
	r.assign(j, e)
	const n = 1001 // more than one page of XRANGE
	for i := range n {
		body := fmt.Sprintf(`{"comment":"%d","scores":{"impact":3,"innovation":5}}`, i)
		must(save(r.store, r.ctx, r.write(j, e, body, 50)))(t)
	}
	recs := must(r.store.Audit(r.ctx))(t)
	if got, want := len(recs), n; got != want {
		t.Fatalf("%d records, want %d", got, want)
	}
	for i, rec := range recs {
		if ev := decodeAudit(t, rec); ev.Seq != int64(i+1) || ev.Version != i+1 {
			t.Fatalf("record %d: seq %d version %d", i, ev.Seq, ev.Version)
		}
	}
	if v := judging.VerifyChain(recs, must(r.store.AuditHead(r.ctx))(t)); !v.OK {
		t.Fatalf("VerifyChain = %+v", v)
	}
}

// tamperRig is a rig with four audit records: three score versions and a withdrawal.
func tamperRig(t *testing.T) *rig {
	r := newRig(t)
	e, j1, j2 := r.entry("Acme"), r.judge(), r.judge()
	r.assign(j1, e)
	r.assign(j2, e)
	r.score(j1, e, marks(5, 3))
	r.score(j1, e, marks(6, 3))
	r.score(j2, e, marks(7, 4))
	if err := r.svc.Unassign(r.ctx, r.admin, judging.Assignment{JudgeID: j2.ID, EntryID: e.ID}); err != nil {
		t.Fatal(err)
	}
	return r
}

// rewrite rebuilds the audit stream with the same ids, passing each record through change.
func (r *rig) rewrite(change func(i int, fields map[string]any)) {
	r.tb.Helper()
	msgs := must(r.rdb.XRange(r.ctx, auditKey, "-", "+").Result())(r.tb)
	if err := r.rdb.Del(r.ctx, auditKey).Err(); err != nil {
		r.tb.Fatal(err)
	}
	for i, m := range msgs {
		change(i, m.Values)
		if err := r.rdb.XAdd(r.ctx, &redis.XAddArgs{Stream: auditKey, ID: m.ID, Values: []any{
			"payload", m.Values["payload"], "prev", m.Values["prev"], "hash", m.Values["hash"],
		}}).Err(); err != nil {
			r.tb.Fatal(err)
		}
	}
}

func TestService_VerifyAudit(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		// GET /audit/verify → {ok, records, head}: untouched, the chain holds and head is the last record's hash.
		r := tamperRig(t)
		recs := must(r.store.Audit(r.ctx))(t)
		want := judging.AuditCheck{OK: true, Records: 4, Head: recs[3].Hash}
		if diff := cmp.Diff(want, must(r.svc.VerifyAudit(r.ctx, r.admin))(t)); diff != "" {
			t.Fatalf("VerifyAudit (-want +got):\n%s", diff)
		}
		if head := must(r.rdb.Get(r.ctx, auditHeadKey).Result())(t); head != recs[3].Hash {
			t.Fatalf("the head key holds %q, want %q", head, recs[3].Hash)
		}
	})

	t.Run("OK/empty", func(t *testing.T) {
		r := newRig(t)
		if diff := cmp.Diff(judging.AuditCheck{OK: true}, must(r.svc.VerifyAudit(r.ctx, r.admin))(t)); diff != "" {
			t.Fatalf("VerifyAudit of no records (-want +got):\n%s", diff)
		}
	})

	for _, tc := range []struct {
		name   string
		tamper func(t *testing.T, r *rig)
	}{
		{"a forged record appended with XADD, chained but the head not moved", func(t *testing.T, r *rig) {
			head := must(r.rdb.Get(r.ctx, auditHeadKey).Result())(t)
			payload := `{"seq":5,"at":"2026-03-02T09:00:00.000Z","action":"withdraw","reason":"unassigned","entry_id":"e_x","judge_id":"u_x","category_id":"cyber-security","old":null,"new":null}`
			r.rdb.XAdd(r.ctx, &redis.XAddArgs{Stream: auditKey, Values: []any{"payload", payload, "prev", head, "hash", judging.ChainHash(head, payload)}})
		}},
		{"a forged record appended with XADD that does not chain", func(t *testing.T, r *rig) {
			payload := `{"seq":5,"action":"score"}`
			r.rdb.XAdd(r.ctx, &redis.XAddArgs{Stream: auditKey, Values: []any{"payload", payload, "prev", "", "hash", judging.ChainHash("", payload)}})
		}},
		{"a forged record with a skipped seq, chained and the head moved", func(t *testing.T, r *rig) {
			head := must(r.rdb.Get(r.ctx, auditHeadKey).Result())(t)
			payload := `{"seq":7,"action":"withdraw","entry_id":"e_x","judge_id":"u_x","category_id":"cyber-security","old":null,"new":null}`
			h := judging.ChainHash(head, payload)
			r.rdb.XAdd(r.ctx, &redis.XAddArgs{Stream: auditKey, Values: []any{"payload", payload, "prev", head, "hash", h}})
			r.rdb.Set(r.ctx, auditHeadKey, h, 0)
		}},
		{"a record deleted from the middle with XDEL", func(t *testing.T, r *rig) {
			msgs := must(r.rdb.XRange(r.ctx, auditKey, "-", "+").Result())(t)
			r.rdb.XDel(r.ctx, auditKey, msgs[1].ID)
		}},
		{"the last record deleted with XDEL", func(t *testing.T, r *rig) {
			msgs := must(r.rdb.XRange(r.ctx, auditKey, "-", "+").Result())(t)
			r.rdb.XDel(r.ctx, auditKey, msgs[3].ID)
		}},
		{"the head key changed", func(t *testing.T, r *rig) {
			r.rdb.Set(r.ctx, auditHeadKey, strings.Repeat("0", 40), 0)
		}},
		{"the head key deleted", func(t *testing.T, r *rig) {
			r.rdb.Del(r.ctx, auditHeadKey)
		}},
		{"a record's payload rewritten, its hash kept", func(t *testing.T, r *rig) {
			r.rewrite(func(i int, f map[string]any) {
				if i == 1 {
					f["payload"] = strings.Replace(f["payload"].(string), `"innovation":6`, `"innovation":10`, 1)
				}
			})
		}},
		{"a record's payload rewritten and rehashed", func(t *testing.T, r *rig) {
			r.rewrite(func(i int, f map[string]any) {
				if i == 1 {
					f["payload"] = strings.Replace(f["payload"].(string), `"innovation":6`, `"innovation":10`, 1)
					f["hash"] = judging.ChainHash(f["prev"].(string), f["payload"].(string))
				}
			})
		}},
		{"two records swapped", func(t *testing.T, r *rig) {
			msgs := must(r.rdb.XRange(r.ctx, auditKey, "-", "+").Result())(t)
			r.rdb.Del(r.ctx, auditKey)
			for k, i := range []int{0, 2, 1, 3} {
				v := msgs[i].Values
				r.rdb.XAdd(r.ctx, &redis.XAddArgs{Stream: auditKey, ID: msgs[k].ID, Values: []any{"payload", v["payload"], "prev", v["prev"], "hash", v["hash"]}})
			}
		}},
		{"a counting score's total changed behind the trail's back", func(t *testing.T, r *rig) {
			key := "awards:{jury}:cur:" + cat
			for field, v := range must(r.rdb.HGetAll(r.ctx, key).Result())(t) {
				r.rdb.HSet(r.ctx, key, field, strings.Replace(v, `"total":`, `"total":1`, 1))
			}
		}},
		{"a counting score deleted with no withdrawal in the trail", func(t *testing.T, r *rig) {
			r.rdb.Del(r.ctx, "awards:{jury}:cur:"+cat)
		}},
	} {
		t.Run("ErrTampered/"+tc.name, func(t *testing.T) {
			// A changed, inserted or deleted record, or a moved head, breaks the chain; scores that
			// do not match the trail's replay break the tally: ok is false, with the problem.
			r := tamperRig(t)
			tc.tamper(t, r)
			got := must(r.svc.VerifyAudit(r.ctx, r.admin))(t)
			if got.OK || got.Problem == "" {
				t.Fatalf("VerifyAudit after tampering = %+v, want ok false with a problem", got)
			}
		})
	}

	t.Run("ErrForbidden", func(t *testing.T) {
		r := newRig(t)
		_, err := r.svc.VerifyAudit(r.ctx, r.judge())
		wantErr(t, err, judging.ErrForbidden)
	})
}

// ----- Plumbing -----

func TestStore_Publish(t *testing.T) {
	// Events go to every instance on the events channel, as JSON.
	ctx := t.Context()
	rdb := redistest.New(t)
	s := redisstore.New(rdb)
	sub := rdb.Subscribe(ctx, s.EventsChannel())
	defer sub.Close()
	if _, err := sub.Receive(ctx); err != nil { // the subscription is confirmed
		t.Fatal(err)
	}
	want := judging.Event{Type: judging.EventTally, CategoryID: cat}
	if err := s.Publish(ctx, want); err != nil {
		t.Fatal(err)
	}
	rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	msg := must(sub.ReceiveMessage(rctx))(t)
	var got judging.Event
	if err := json.Unmarshal([]byte(msg.Payload), &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("event (-want +got):\n%s", diff)
	}
}

func TestStore_Ping(t *testing.T) {
	ctx := t.Context()
	addr, kill := redistest.Server(t)
	rdb := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, DialTimeout: time.Second})
	t.Cleanup(func() { rdb.Close() })
	s := redisstore.New(rdb)
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping = %v", err)
	}
	t.Run("ErrUnavailable", func(t *testing.T) {
		// GET /readyz → 503 when the store does not answer: a lost Redis is ErrUnavailable.
		kill()
		err := s.Ping(ctx)
		wantErr(t, err, judging.ErrUnavailable)
		_, err = s.User(ctx, "u_x")
		wantErr(t, err, judging.ErrUnavailable)
	})
}

func TestWithPrefix(t *testing.T) {
	// Several programmes or tests can share one Redis under different prefixes.
	ctx := t.Context()
	rdb := redistest.New(t)
	a, b := redisstore.New(rdb, redisstore.WithPrefix("a:")), redisstore.New(rdb, redisstore.WithPrefix("b:"))
	u := judging.User{ID: "u_1", Role: judging.RoleAdmin, Email: "same@example.com", CreatedAt: t0}
	if err := a.CreateUser(ctx, u, judging.Invitation{}); err != nil {
		t.Fatal(err)
	}
	if err := b.CreateUser(ctx, u, judging.Invitation{}); err != nil {
		t.Fatalf("the same email under another prefix: %v", err)
	}
	must(a.PutProgramme(ctx, programme(), 0, nil, nil))(t)
	_, _, err := b.Programme(ctx)
	wantErr(t, err, judging.ErrNoProgramme)
	keys := must(rdb.Keys(ctx, "*").Result())(t)
	for _, k := range keys {
		if !strings.HasPrefix(k, "a:{jury}:") && !strings.HasPrefix(k, "b:{jury}:") {
			t.Errorf("key %q is outside both prefixes' {jury} hash tag", k)
		}
	}

	t.Run("a prefix with a brace panics", func(t *testing.T) {
		defer func() {
			if recover() == nil {
				t.Fatalf("WithPrefix(%q) did not panic", "x{y}:")
			}
		}()
		redisstore.New(rdb, redisstore.WithPrefix("x{y}:"))
	})
}
