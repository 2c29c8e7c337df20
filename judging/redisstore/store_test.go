package redisstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/redis/go-redis/v9"

	"github.com/awards-dev/awards/judging"
	"github.com/awards-dev/awards/judging/judgingtest"
	"github.com/awards-dev/awards/judging/redisstore"
	"github.com/awards-dev/awards/judging/redisstore/redistest"
)

// The keys a test tampers with, as keys.go lays them out under the default prefix.
const (
	auditKey     = "awards:{jury}:audit"
	auditHeadKey = "awards:{jury}:audit:head"
)

// rig is a judgingtest.Rig with the shorthands of these tests: an entry is one of a new
// exhibitor, submitted in CatCyber, and a judge judges CatCyber.
type rig struct{ *judgingtest.Rig }

func newRig(tb testing.TB) *rig {
	tb.Helper()
	return &rig{judgingtest.New(tb)}
}

// entry registers an exhibitor of company and submits an entry of theirs in CatCyber.
func (r *rig) entry(company string) judging.Entry {
	r.TB.Helper()
	return r.Entry(r.Exhibitor(company), judgingtest.CatCyber, company+" entry")
}

// judge invites a judge of CatCyber with these affiliations.
func (r *rig) judge(affiliations ...string) judging.Actor {
	r.TB.Helper()
	return r.Judge([]string{judgingtest.CatCyber}, affiliations...)
}

// jury submits entries entries (of "Company 0", "Company 1"…) and invites judges judges, each
// assigned to every entry.
func (r *rig) jury(entries, judges int) ([]judging.Entry, []judging.Actor) {
	r.TB.Helper()
	es := make([]judging.Entry, entries)
	for i := range es {
		es[i] = r.entry(fmt.Sprintf("Company %d", i))
	}
	js := make([]judging.Actor, judges)
	for i := range js {
		js[i] = r.judge()
		r.Assign(js[i], es...)
	}
	return es, js
}

// write is a ScoreWrite for the store at the programme's current revision.
func (r *rig) write(j judging.Actor, e judging.Entry, body string, total float64) judging.ScoreWrite {
	r.TB.Helper()
	_, rev := judgingtest.Must2(r.Store.Programme(r.Ctx))(r.TB)
	var marks struct {
		Comment string             `json:"comment"`
		Scores  map[string]float64 `json:"scores"`
	}
	judgingtest.Must(0, json.Unmarshal([]byte(body), &marks))(r.TB)
	return judging.ScoreWrite{EntryID: e.ID, JudgeID: j.ID, CategoryID: e.CategoryID, ProgrammeRev: rev,
		Scores: marks.Scores, Comment: marks.Comment, Body: body, Total: total, At: r.Clock.T}
}

// ----- Accounts -----

func TestStore_CreateUser(t *testing.T) {
	ctx := t.Context()
	s := redisstore.New(redistest.New(t))
	alice := judging.User{ID: "u_alice", Role: judging.RoleExhibitor, Email: "Alice@Example.com", PasswordHash: "$hash", Company: "Acme", Country: "FR", Startup: true, CreatedAt: judgingtest.T0}

	t.Run("OK", func(t *testing.T) {
		// A stored user reads back whole, by id and by email compared case-insensitively.
		if err := s.CreateUser(ctx, alice, judging.Invitation{}); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(alice, judgingtest.Must(s.User(ctx, alice.ID))(t)); diff != "" {
			t.Fatalf("User (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(alice, judgingtest.Must(s.UserByEmail(ctx, " alice@EXAMPLE.com"))(t)); diff != "" {
			t.Fatalf("UserByEmail (-want +got):\n%s", diff)
		}
	})

	t.Run("ErrEmailTaken", func(t *testing.T) {
		// An email (case-insensitive) belongs to one account; the loser writes nothing.
		dup := judging.User{ID: "u_dup", Role: judging.RoleAdmin, Email: "ALICE@example.com", CreatedAt: judgingtest.T0}
		judgingtest.WantErr(t, s.CreateUser(ctx, dup, judging.Invitation{}), judging.ErrEmailTaken)
		_, err := s.User(ctx, dup.ID)
		judgingtest.WantErr(t, err, judging.ErrNotFound)
		if admins := judgingtest.Must(s.UsersByRole(ctx, judging.RoleAdmin))(t); len(admins) != 0 {
			t.Fatalf("admins = %v, want none", admins)
		}
	})

	t.Run("OK/accounts without an email", func(t *testing.T) {
		// Screens have no email: they claim none, so there can be many.
		for _, id := range []string{"s_1", "s_2"} {
			if err := s.CreateUser(ctx, judging.User{ID: id, Role: judging.RoleScreen, Name: id, CreatedAt: judgingtest.T0}, judging.Invitation{}); err != nil {
				t.Fatalf("CreateUser(%s): %v", id, err)
			}
		}
		screens := judgingtest.Must(s.UsersByRole(ctx, judging.RoleScreen))(t)
		if got, want := len(screens), 2; got != want {
			t.Fatalf("%d screens, want %d", got, want)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := s.User(ctx, "u_nobody")
		judgingtest.WantErr(t, err, judging.ErrNotFound)
		_, err = s.UserByEmail(ctx, "nobody@example.com")
		judgingtest.WantErr(t, err, judging.ErrNotFound)
	})
}

func TestStore_RedeemInvite(t *testing.T) {
	ctx := t.Context()
	s := redisstore.New(redistest.New(t))
	j := judging.User{ID: "u_judge", Role: judging.RoleJudge, Email: "j@jury.test", Categories: []string{judgingtest.CatCyber}, CreatedAt: judgingtest.T0}
	if err := s.CreateUser(ctx, j, judging.Invitation{Hash: "invitehash", TTL: time.Hour}); err != nil {
		t.Fatal(err)
	}
	u := judgingtest.Must(s.RedeemInvite(ctx, "invitehash", "$pw"))(t)
	if got, want := u.PasswordHash, "$pw"; got != want {
		t.Fatalf("password hash = %q, want %q", got, want)
	}
	if got := judgingtest.Must(s.User(ctx, j.ID))(t).PasswordHash; got != "$pw" {
		t.Fatalf("stored password hash = %q", got)
	}
	_, err := s.RedeemInvite(ctx, "invitehash", "$other")
	judgingtest.WantErr(t, err, judging.ErrBadInvite)
	_, err = s.RedeemInvite(ctx, "unknown", "$other")
	judgingtest.WantErr(t, err, judging.ErrBadInvite)
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
		return judgingtest.Must(n, err)(tb)
	}

	t.Run("OK", func(t *testing.T) {
		// Each reservation counts one attempt on every counter, under the {rl} hash tag, in a
		// window that starts at the first attempt.
		limits := []judging.Limit{lim("ok:a", 3, time.Hour), lim("ok:b", 5, time.Hour)}
		for range 3 {
			if wait := judgingtest.Must(s.ReserveAttempt(ctx, limits))(t); wait != 0 {
				t.Fatalf("ReserveAttempt under the limit = %v, want 0", wait)
			}
		}
		if a, b := count(t, "ok:a"), count(t, "ok:b"); a != 3 || b != 3 {
			t.Fatalf("counters = %d, %d; want 3, 3", a, b)
		}
		ttl := judgingtest.Must(rdb.PTTL(ctx, "awards:{rl}:ok:a").Result())(t)
		if ttl <= 0 || ttl > time.Hour {
			t.Fatalf("counter TTL = %v, want within (0, 1h]", ttl)
		}
	})

	t.Run("ErrFull counts nothing and says how long", func(t *testing.T) {
		// When one counter is full nothing is counted, and the wait is the longest time left
		// of the full counters.
		full := []judging.Limit{lim("full:short", 1, time.Minute), lim("full:long", 1, time.Hour), lim("full:free", 100, time.Hour)}
		judgingtest.Must(s.ReserveAttempt(ctx, full))(t)
		for range 3 {
			wait := judgingtest.Must(s.ReserveAttempt(ctx, full))(t)
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
		judgingtest.Must(s.ReserveAttempt(ctx, []judging.Limit{lim("fixed", 10, time.Hour)}))(t)
		judgingtest.Must(s.ReserveAttempt(ctx, []judging.Limit{lim("fixed", 10, 10*time.Hour)}))(t)
		if ttl := judgingtest.Must(rdb.PTTL(ctx, "awards:{rl}:fixed").Result())(t); ttl <= 0 || ttl > time.Hour {
			t.Fatalf("counter TTL = %v after a second attempt, want within (0, 1h]", ttl)
		}
	})

	t.Run("the window ends", func(t *testing.T) {
		// Once the window is over, attempts are counted again.
		short := []judging.Limit{lim("short", 1, 20*time.Millisecond)}
		judgingtest.Must(s.ReserveAttempt(ctx, short))(t)
		deadline := time.Now().Add(5 * time.Second)
		for judgingtest.Must(s.ReserveAttempt(ctx, short))(t) != 0 {
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
		judgingtest.Must(s.ReserveAttempt(ctx, limits))(t)
		judgingtest.Must(s.ReserveAttempt(ctx, limits))(t)
		if wait := judgingtest.Must(s.ReserveAttempt(ctx, limits))(t); wait == 0 {
			t.Fatalf("a third attempt over a max of 2 was reserved")
		}
		judgingtest.Must(0, s.ReleaseAttempt(ctx, limits))(t)
		if wait := judgingtest.Must(s.ReserveAttempt(ctx, limits))(t); wait != 0 {
			t.Fatalf("after a release the attempt waits %v, want 0", wait)
		}
		if ttl := judgingtest.Must(rdb.PTTL(ctx, "awards:{rl}:rel:a").Result())(t); ttl <= 0 {
			t.Fatalf("counter TTL = %v after a release, want the window kept", ttl)
		}
	})

	t.Run("never below zero nor a new counter", func(t *testing.T) {
		// Releasing more than was reserved stops at zero; releasing an absent counter creates none.
		one := []judging.Limit{{Key: "rel:one", Max: 5, Window: time.Hour}}
		judgingtest.Must(s.ReserveAttempt(ctx, one))(t)
		for range 3 {
			judgingtest.Must(0, s.ReleaseAttempt(ctx, one))(t)
		}
		if got := judgingtest.Must(rdb.Get(ctx, "awards:{rl}:rel:one").Int64())(t); got != 0 {
			t.Fatalf("counter = %d, want 0", got)
		}
		judgingtest.Must(0, s.ReleaseAttempt(ctx, []judging.Limit{{Key: "rel:none", Max: 5, Window: time.Hour}}))(t)
		if n := judgingtest.Must(rdb.Exists(ctx, "awards:{rl}:rel:none").Result())(t); n != 0 {
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
	if wait := judgingtest.Must(s.ReserveAttempt(ctx, limits))(t); wait != 0 {
		t.Fatalf("first attempt waits %v, want 0", wait)
	}
	if wait := judgingtest.Must(s.ReserveAttempt(ctx, limits))(t); wait <= 0 {
		t.Fatalf("second attempt over a max of 1 waits %v, want > 0", wait)
	}
	judgingtest.Must(0, s.ReleaseAttempt(ctx, limits))(t)
}

func TestStore_EnsureSecret(t *testing.T) {
	// AWARDS_JWT_SECRET default: generated once, kept in the store — the first candidate wins.
	ctx := t.Context()
	s := redisstore.New(redistest.New(t))
	first := judgingtest.Must(s.EnsureSecret(ctx, "jwt", []byte("first-secret")))(t)
	second := judgingtest.Must(s.EnsureSecret(ctx, "jwt", []byte("second-secret")))(t)
	if string(first) != "first-secret" || string(second) != "first-secret" {
		t.Fatalf("secrets = %q, %q; want the first both times", first, second)
	}
}

// ----- Programme -----

func TestStore_PutProgramme(t *testing.T) {
	r := newRig(t)
	s, ctx := r.Store, r.Ctx
	p, rev := judgingtest.Must2(s.Programme(ctx))(t)
	if diff := cmp.Diff(judgingtest.Programme(), p); diff != "" {
		t.Fatalf("Programme (-want +got):\n%s", diff)
	}

	t.Run("ErrStale", func(t *testing.T) {
		// The programme is replaced only if it is still at the revision read.
		_, err := s.PutProgramme(ctx, p, rev-1, nil, nil)
		judgingtest.WantErr(t, err, judging.ErrStale)
	})

	t.Run("OK", func(t *testing.T) {
		p.Name = "Renamed"
		next := judgingtest.Must(s.PutProgramme(ctx, p, rev, nil, nil))(t)
		if next != rev+1 {
			t.Fatalf("revision = %d, want %d", next, rev+1)
		}
		got, gotRev := judgingtest.Must2(s.Programme(ctx))(t)
		if got.Name != "Renamed" || gotRev != next {
			t.Fatalf("Programme = %q at %d", got.Name, gotRev)
		}
		rev = next
	})

	t.Run("ErrCriteriaFrozen", func(t *testing.T) {
		// A category that was ever scored keeps its scoring, even after the score stopped counting.
		e, j := r.entry("Acme"), r.judge()
		r.Assign(j, e)
		r.Score(j, e, judgingtest.Cyber(5, 3))
		if err := r.Svc.Recuse(ctx, j, e.ID); err != nil {
			t.Fatal(err)
		}
		_, rev = judgingtest.Must2(s.Programme(ctx))(t)
		_, err := s.PutProgramme(ctx, p, rev, []string{judgingtest.CatCSR, judgingtest.CatCyber}, nil)
		judgingtest.WantErr(t, err, judging.ErrCriteriaFrozen)
		judgingtest.Must(s.PutProgramme(ctx, p, rev, []string{judgingtest.CatCSR}, nil))(t)
	})

	t.Run("ErrCategoryInUse", func(t *testing.T) {
		_, rev = judgingtest.Must2(s.Programme(ctx))(t)
		_, err := s.PutProgramme(ctx, p, rev, nil, []string{judgingtest.CatCyber})
		judgingtest.WantErr(t, err, judging.ErrCategoryInUse)
	})

	t.Run("ErrNoProgramme", func(t *testing.T) {
		_, _, err := redisstore.New(redistest.New(t)).Programme(ctx)
		judgingtest.WantErr(t, err, judging.ErrNoProgramme)
	})
}

// ----- Entries -----

func TestStore_Entries(t *testing.T) {
	ctx := t.Context()
	s := redisstore.New(redistest.New(t))
	mk := func(id, owner, category string, at time.Duration) judging.Entry {
		e := judging.Entry{ID: id, CategoryID: category, Title: id, Links: []string{}, Status: judging.StatusDraft, OwnerID: owner, CreatedAt: judgingtest.T0.Add(at), UpdatedAt: judgingtest.T0.Add(at)}
		if err := s.CreateEntry(ctx, e, judging.DefaultMaxEntriesPerExhibitor); err != nil {
			t.Fatal(err)
		}
		return e
	}
	// Created out of id order, so that the order seen is the creation order.
	c := mk("e_c", "u_1", judgingtest.CatCyber, 1*time.Second)
	a := mk("e_a", "u_2", judgingtest.CatCyber, 2*time.Second)
	b := mk("e_b", "u_1", judgingtest.CatCSR, 3*time.Second)
	if _, err := s.Assign(ctx, []judging.CategoryAssignment{
		{Assignment: judging.Assignment{JudgeID: "u_j", EntryID: b.ID}, CategoryID: judgingtest.CatCSR},
		{Assignment: judging.Assignment{JudgeID: "u_j", EntryID: c.ID}, CategoryID: judgingtest.CatCyber},
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
		{"one category's", judging.EntryScope{CategoryID: judgingtest.CatCyber}, []string{c.ID, a.ID}},
		{"nobody's", judging.EntryScope{OwnerID: "u_none"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, e := range judgingtest.Must(s.Entries(ctx, tc.scope))(t) {
				got = append(got, e.ID)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Fatalf("entries (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("SubmitEntry", func(t *testing.T) {
		// A draft moves to submitted once; after that 409; an unknown id 404.
		got := judgingtest.Must(s.SubmitEntry(ctx, a.ID, judgingtest.T0.Add(time.Hour)))(t)
		if got.Status != judging.StatusSubmitted || got.SubmittedAt == nil || !got.SubmittedAt.Equal(judgingtest.T0.Add(time.Hour)) {
			t.Fatalf("submitted: %q at %v", got.Status, got.SubmittedAt)
		}
		_, err := s.SubmitEntry(ctx, a.ID, judgingtest.T0.Add(2*time.Hour))
		judgingtest.WantErr(t, err, judging.ErrAlreadySubmitted)
		_, err = s.SubmitEntry(ctx, "e_nope", judgingtest.T0)
		judgingtest.WantErr(t, err, judging.ErrNotFound)
	})

	t.Run("UpdateEntry", func(t *testing.T) {
		// A submitted entry: no owner edits (draftOnly) and never another category; status survives an edit.
		edit := a
		edit.Title = "edited"
		_, err := s.UpdateEntry(ctx, edit, true)
		judgingtest.WantErr(t, err, judging.ErrAlreadySubmitted)
		got := judgingtest.Must(s.UpdateEntry(ctx, edit, false))(t)
		if got.Title != "edited" || got.Status != judging.StatusSubmitted || got.SubmittedAt == nil {
			t.Fatalf("admin edit: %q %q %v", got.Title, got.Status, got.SubmittedAt)
		}
		edit.CategoryID = judgingtest.CatCSR
		_, err = s.UpdateEntry(ctx, edit, false)
		judgingtest.WantErr(t, err, judging.ErrAlreadySubmitted)

		moved := c
		moved.CategoryID = judgingtest.CatCSR
		judgingtest.Must(s.UpdateEntry(ctx, moved, true))(t)
		var inOther []string
		for _, e := range judgingtest.Must(s.Entries(ctx, judging.EntryScope{CategoryID: judgingtest.CatCSR}))(t) {
			inOther = append(inOther, e.ID)
		}
		if diff := cmp.Diff([]string{c.ID, b.ID}, inOther); diff != "" {
			t.Fatalf("entries of %s after a draft moved there, in creation order (-want +got):\n%s", judgingtest.CatCSR, diff)
		}

		ghost := a
		ghost.ID = "e_nope"
		_, err = s.UpdateEntry(ctx, ghost, false)
		judgingtest.WantErr(t, err, judging.ErrNotFound)
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
			as = append(as, judging.CategoryAssignment{Assignment: judging.Assignment{JudgeID: fmt.Sprintf("u_%d", j), EntryID: fmt.Sprintf("e_%d", e)}, CategoryID: judgingtest.CatCyber})
		}
	}
	if got, want := judgingtest.Must(s.Assign(ctx, as))(t), len(as); got != want {
		t.Fatalf("added %d, want %d", got, want)
	}
	if got, want := judgingtest.Must(s.Assign(ctx, as))(t), 0; got != want {
		t.Fatalf("added again %d, want %d", got, want)
	}
	st := judgingtest.Must(s.Assignments(ctx))(t)
	if got, want := len(st.Active), len(as); got != want {
		t.Fatalf("%d active, want %d", got, want)
	}
	if got, want := judgingtest.Must(s.Progress(ctx, judgingtest.CatCyber))(t).Expected, len(as); got != want {
		t.Fatalf("expected = %d, want %d", got, want)
	}

	first := as[0]
	existed := judgingtest.Must(s.Withdraw(ctx, judging.Withdrawal{CategoryAssignment: first, Recuse: true, By: first.JudgeID, At: judgingtest.T0}))(t)
	if !existed {
		t.Fatalf("Withdraw reported no assignment")
	}
	if existed := judgingtest.Must(s.Withdraw(ctx, judging.Withdrawal{CategoryAssignment: first, Recuse: true, By: first.JudgeID, At: judgingtest.T0}))(t); existed {
		t.Fatalf("a second Withdraw reported an assignment")
	}
	if got := judgingtest.Must(s.Assign(ctx, as[:1]))(t); got != 0 {
		t.Fatalf("a recused pair was assigned again")
	}
	if ok := judgingtest.Must(s.Assigned(ctx, first.EntryID, first.JudgeID))(t); ok {
		t.Fatalf("recused pair still assigned")
	}
	st = judgingtest.Must(s.Assignments(ctx))(t)
	if diff := cmp.Diff([]judging.Assignment{first.Assignment}, st.Recused); diff != "" {
		t.Fatalf("recused (-want +got):\n%s", diff)
	}
	if n := len(judgingtest.Must(s.Audit(ctx))(t)); n != 0 {
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
	s, ctx := r.Store, r.Ctx
	e, j := r.entry("Acme"), r.judge()
	r.Assign(j, e)

	t.Run("ErrStale", func(t *testing.T) {
		// Written only if the programme is still at the revision the total was computed under.
		w := r.write(j, e, `{"comment":"","scores":{"impact":3,"innovation":5}}`, 50)
		w.ProgrammeRev--
		_, err := save(s, ctx, w)
		judgingtest.WantErr(t, err, judging.ErrStale)
		if n := len(judgingtest.Must(s.Audit(ctx))(t)); n != 0 {
			t.Fatalf("a stale write left %d audit records", n)
		}
	})

	t.Run("ErrNotAssigned", func(t *testing.T) {
		_, err := save(s, ctx, r.write(r.judge(), e, `{"comment":"","scores":{"impact":3,"innovation":5}}`, 50))
		judgingtest.WantErr(t, err, judging.ErrNotAssigned)
	})

	t.Run("OK", func(t *testing.T) {
		// One atomic write: the counting score, its history, the audit record and the head.
		body := `{"comment":"x","scores":{"impact":3,"innovation":5}}`
		sc := judgingtest.Must(save(s, ctx, r.write(j, e, body, 0.1+0.2)))(t)
		want := judging.Score{EntryID: e.ID, JudgeID: j.ID, CategoryID: judgingtest.CatCyber, Version: 1, Total: 0.1 + 0.2,
			Scores: map[string]float64{"impact": 3, "innovation": 5}, Comment: "x", At: judgingtest.T0}
		if diff := cmp.Diff(want, sc); diff != "" {
			t.Fatalf("SaveScore (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]judging.Score{want}, judgingtest.Must(s.CategoryScores(ctx, judgingtest.CatCyber))(t)); diff != "" {
			t.Fatalf("CategoryScores (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(map[string][]judging.Score{j.ID: {want}}, judgingtest.Must(s.ScoreHistory(ctx, e.ID))(t)); diff != "" {
			t.Fatalf("ScoreHistory (-want +got):\n%s", diff)
		}
		recs := judgingtest.Must(s.Audit(ctx))(t)
		if got, want := judgingtest.Must(s.AuditHead(ctx))(t), recs[len(recs)-1].Hash; got != want {
			t.Fatalf("head = %q, want the last record's hash %q", got, want)
		}

		same, changed, err := s.SaveScore(ctx, r.write(j, e, body, 0.1+0.2))
		if err != nil || changed {
			t.Fatalf("same body again: changed %v, err %v; want an unchanged score", changed, err)
		}
		if diff := cmp.Diff(want, same); diff != "" {
			t.Fatalf("same body again (-want +got):\n%s", diff)
		}
		next := judgingtest.Must(save(s, ctx, r.write(j, e, `{"comment":"y","scores":{"impact":3,"innovation":5}}`, 73.33333333333333)))(t)
		if next.Version != 2 || next.Total != 73.33333333333333 {
			t.Fatalf("changed body: version %d total %v; want 2, 73.33333333333333", next.Version, next.Total)
		}
		if got, want := len(judgingtest.Must(s.Audit(ctx))(t)), 2; got != want {
			t.Fatalf("%d audit records, want %d", got, want)
		}
	})

	t.Run("OK/totals and marks round-trip exactly", func(t *testing.T) {
		// Nothing is lost between the Go total and what a tally reads back.
		e2 := r.entry("Beta")
		r.Assign(j, e2)
		for i, total := range []float64{1e-300, 5e-324, 100, 0, 66.66666666666667, 12.345678901234567} {
			body := fmt.Sprintf(`{"comment":"%d","scores":{"impact":1.0000000000000002,"innovation":%v}}`, i, total)
			judgingtest.Must(save(s, ctx, r.write(j, e2, body, total)))(t)
			var got judging.Score
			for _, sc := range judgingtest.Must(s.CategoryScores(ctx, judgingtest.CatCyber))(t) {
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
		if got := judgingtest.Must(s.RevealStep(ctx, judgingtest.CatCyber, 3))(t); got != want {
			t.Fatalf("step %d shows %d places", want, got)
		}
		rev, part := judgingtest.Must2(s.Ceremony(ctx))(t)
		wantRev, wantPart := []string{}, map[string]int{judgingtest.CatCyber: want}
		if want == 3 {
			wantRev, wantPart = []string{judgingtest.CatCyber}, map[string]int{}
		}
		if diff := cmp.Diff(wantRev, rev, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("step %d revealed (-want +got):\n%s", want, diff)
		}
		if diff := cmp.Diff(wantPart, part, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("step %d partial (-want +got):\n%s", want, diff)
		}
	}
	if got := judgingtest.Must(s.RevealStep(ctx, judgingtest.CatCyber, 3))(t); got != 3 {
		t.Fatalf("a step after the reveal shows %d places, want 3", got)
	}
	// Freeze: being revealed with 0 places shown, unless revealed or being revealed already.
	judgingtest.Must(0, s.Freeze(ctx, judgingtest.CatCyber))(t)
	judgingtest.Must(0, s.Freeze(ctx, judgingtest.CatCSR))(t)
	if _, part := judgingtest.Must2(s.Ceremony(ctx))(t); !cmp.Equal(part, map[string]int{judgingtest.CatCSR: 0}) {
		t.Fatalf("partial after Freeze = %v, want %s: 0 only", part, judgingtest.CatCSR)
	}
	if got := judgingtest.Must(s.RevealStep(ctx, judgingtest.CatCSR, 5))(t); got != 1 {
		t.Fatalf("the first step after Freeze shows %d places, want 1", got)
	}
	judgingtest.Must(0, s.Freeze(ctx, judgingtest.CatCSR))(t)
	if _, part := judgingtest.Must2(s.Ceremony(ctx))(t); !cmp.Equal(part, map[string]int{judgingtest.CatCSR: 1}) {
		t.Fatalf("partial after a second Freeze = %v, want %s: 1", part, judgingtest.CatCSR)
	}
	if err := s.Reveal(ctx, judgingtest.CatCSR); err != nil {
		t.Fatal(err)
	}
	rev, part := judgingtest.Must2(s.Ceremony(ctx))(t)
	if diff := cmp.Diff([]string{judgingtest.CatCSR, judgingtest.CatCyber}, rev); diff != "" { // sorted
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
	r.Assign(j, e)
	const n = 1001 // more than one page of XRANGE
	for i := range n {
		body := fmt.Sprintf(`{"comment":"%d","scores":{"impact":3,"innovation":5}}`, i)
		judgingtest.Must(save(r.Store, r.Ctx, r.write(j, e, body, 50)))(t)
	}
	recs := judgingtest.Must(r.Store.Audit(r.Ctx))(t)
	if got, want := len(recs), n; got != want {
		t.Fatalf("%d records, want %d", got, want)
	}
	for i, rec := range recs {
		if ev := judgingtest.DecodeAudit(t, rec); ev.Seq != int64(i+1) || ev.Version != i+1 {
			t.Fatalf("record %d: seq %d version %d", i, ev.Seq, ev.Version)
		}
	}
	if v := judging.VerifyChain(recs, judgingtest.Must(r.Store.AuditHead(r.Ctx))(t)); !v.OK {
		t.Fatalf("VerifyChain = %+v", v)
	}
}

// tamperRig is a rig with four audit records: three score versions and a withdrawal.
func tamperRig(t *testing.T) *rig {
	r := newRig(t)
	e, j1, j2 := r.entry("Acme"), r.judge(), r.judge()
	r.Assign(j1, e)
	r.Assign(j2, e)
	r.Score(j1, e, judgingtest.Cyber(5, 3))
	r.Score(j1, e, judgingtest.Cyber(6, 3))
	r.Score(j2, e, judgingtest.Cyber(7, 4))
	if err := r.Svc.Unassign(r.Ctx, r.Admin, judging.Assignment{JudgeID: j2.ID, EntryID: e.ID}); err != nil {
		t.Fatal(err)
	}
	return r
}

// rewrite rebuilds the audit stream with the same ids, passing each record through change.
func (r *rig) rewrite(change func(i int, fields map[string]any)) {
	r.TB.Helper()
	msgs := judgingtest.Must(r.RDB.XRange(r.Ctx, auditKey, "-", "+").Result())(r.TB)
	if err := r.RDB.Del(r.Ctx, auditKey).Err(); err != nil {
		r.TB.Fatal(err)
	}
	for i, m := range msgs {
		change(i, m.Values)
		if err := r.RDB.XAdd(r.Ctx, &redis.XAddArgs{Stream: auditKey, ID: m.ID, Values: []any{
			"payload", m.Values["payload"], "prev", m.Values["prev"], "hash", m.Values["hash"],
		}}).Err(); err != nil {
			r.TB.Fatal(err)
		}
	}
}

func TestService_VerifyAudit(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		// GET /audit/verify → {ok, records, head}: untouched, the chain holds and head is the last record's hash.
		r := tamperRig(t)
		recs := judgingtest.Must(r.Store.Audit(r.Ctx))(t)
		want := judging.AuditCheck{OK: true, Records: 4, Head: recs[3].Hash}
		if diff := cmp.Diff(want, judgingtest.Must(r.Svc.VerifyAudit(r.Ctx, r.Admin))(t)); diff != "" {
			t.Fatalf("VerifyAudit (-want +got):\n%s", diff)
		}
		if head := judgingtest.Must(r.RDB.Get(r.Ctx, auditHeadKey).Result())(t); head != recs[3].Hash {
			t.Fatalf("the head key holds %q, want %q", head, recs[3].Hash)
		}
	})

	t.Run("OK/empty", func(t *testing.T) {
		r := newRig(t)
		if diff := cmp.Diff(judging.AuditCheck{OK: true}, judgingtest.Must(r.Svc.VerifyAudit(r.Ctx, r.Admin))(t)); diff != "" {
			t.Fatalf("VerifyAudit of no records (-want +got):\n%s", diff)
		}
	})

	for _, tc := range []struct {
		name   string
		tamper func(t *testing.T, r *rig)
	}{
		{"a forged record appended with XADD, chained but the head not moved", func(t *testing.T, r *rig) {
			head := judgingtest.Must(r.RDB.Get(r.Ctx, auditHeadKey).Result())(t)
			payload := `{"seq":5,"at":"2026-03-02T09:00:00.000Z","action":"withdraw","reason":"unassigned","entry_id":"e_x","judge_id":"u_x","category_id":"cyber-security","old":null,"new":null}`
			r.RDB.XAdd(r.Ctx, &redis.XAddArgs{Stream: auditKey, Values: []any{"payload", payload, "prev", head, "hash", judging.ChainHash(head, payload)}})
		}},
		{"a forged record appended with XADD that does not chain", func(t *testing.T, r *rig) {
			payload := `{"seq":5,"action":"score"}`
			r.RDB.XAdd(r.Ctx, &redis.XAddArgs{Stream: auditKey, Values: []any{"payload", payload, "prev", "", "hash", judging.ChainHash("", payload)}})
		}},
		{"a forged record with a skipped seq, chained and the head moved", func(t *testing.T, r *rig) {
			head := judgingtest.Must(r.RDB.Get(r.Ctx, auditHeadKey).Result())(t)
			payload := `{"seq":7,"action":"withdraw","entry_id":"e_x","judge_id":"u_x","category_id":"cyber-security","old":null,"new":null}`
			h := judging.ChainHash(head, payload)
			r.RDB.XAdd(r.Ctx, &redis.XAddArgs{Stream: auditKey, Values: []any{"payload", payload, "prev", head, "hash", h}})
			r.RDB.Set(r.Ctx, auditHeadKey, h, 0)
		}},
		{"a record deleted from the middle with XDEL", func(t *testing.T, r *rig) {
			msgs := judgingtest.Must(r.RDB.XRange(r.Ctx, auditKey, "-", "+").Result())(t)
			r.RDB.XDel(r.Ctx, auditKey, msgs[1].ID)
		}},
		{"the last record deleted with XDEL", func(t *testing.T, r *rig) {
			msgs := judgingtest.Must(r.RDB.XRange(r.Ctx, auditKey, "-", "+").Result())(t)
			r.RDB.XDel(r.Ctx, auditKey, msgs[3].ID)
		}},
		{"the head key changed", func(t *testing.T, r *rig) {
			r.RDB.Set(r.Ctx, auditHeadKey, strings.Repeat("0", 40), 0)
		}},
		{"the head key deleted", func(t *testing.T, r *rig) {
			r.RDB.Del(r.Ctx, auditHeadKey)
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
			msgs := judgingtest.Must(r.RDB.XRange(r.Ctx, auditKey, "-", "+").Result())(t)
			r.RDB.Del(r.Ctx, auditKey)
			for k, i := range []int{0, 2, 1, 3} {
				v := msgs[i].Values
				r.RDB.XAdd(r.Ctx, &redis.XAddArgs{Stream: auditKey, ID: msgs[k].ID, Values: []any{"payload", v["payload"], "prev", v["prev"], "hash", v["hash"]}})
			}
		}},
		{"a counting score's total changed behind the trail's back", func(t *testing.T, r *rig) {
			key := "awards:{jury}:cur:" + judgingtest.CatCyber
			for field, v := range judgingtest.Must(r.RDB.HGetAll(r.Ctx, key).Result())(t) {
				r.RDB.HSet(r.Ctx, key, field, strings.Replace(v, `"total":`, `"total":1`, 1))
			}
		}},
		{"a counting score deleted with no withdrawal in the trail", func(t *testing.T, r *rig) {
			r.RDB.Del(r.Ctx, "awards:{jury}:cur:"+judgingtest.CatCyber)
		}},
	} {
		t.Run("ErrTampered/"+tc.name, func(t *testing.T) {
			// A changed, inserted or deleted record, or a moved head, breaks the chain; scores that
			// do not match the trail's replay break the tally: ok is false, with the problem.
			r := tamperRig(t)
			tc.tamper(t, r)
			got := judgingtest.Must(r.Svc.VerifyAudit(r.Ctx, r.Admin))(t)
			if got.OK || got.Problem == "" {
				t.Fatalf("VerifyAudit after tampering = %+v, want ok false with a problem", got)
			}
		})
	}

	t.Run("ErrForbidden", func(t *testing.T) {
		r := newRig(t)
		_, err := r.Svc.VerifyAudit(r.Ctx, r.judge())
		judgingtest.WantErr(t, err, judging.ErrForbidden)
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
	want := judging.Event{Type: judging.EventTally, CategoryID: judgingtest.CatCyber}
	if err := s.Publish(ctx, want); err != nil {
		t.Fatal(err)
	}
	rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	msg := judgingtest.Must(sub.ReceiveMessage(rctx))(t)
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
		judgingtest.WantErr(t, err, judging.ErrUnavailable)
		_, err = s.User(ctx, "u_x")
		judgingtest.WantErr(t, err, judging.ErrUnavailable)
	})
}

func TestWithPrefix(t *testing.T) {
	// Several programmes or tests can share one Redis under different prefixes.
	ctx := t.Context()
	rdb := redistest.New(t)
	a, b := redisstore.New(rdb, redisstore.WithPrefix("a:")), redisstore.New(rdb, redisstore.WithPrefix("b:"))
	u := judging.User{ID: "u_1", Role: judging.RoleAdmin, Email: "same@example.com", CreatedAt: judgingtest.T0}
	if err := a.CreateUser(ctx, u, judging.Invitation{}); err != nil {
		t.Fatal(err)
	}
	if err := b.CreateUser(ctx, u, judging.Invitation{}); err != nil {
		t.Fatalf("the same email under another prefix: %v", err)
	}
	judgingtest.Must(a.PutProgramme(ctx, judgingtest.Programme(), 0, nil, nil))(t)
	_, _, err := b.Programme(ctx)
	judgingtest.WantErr(t, err, judging.ErrNoProgramme)
	keys := judgingtest.Must(rdb.Keys(ctx, "*").Result())(t)
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
