package judging_test

import (
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/awards-dev/awards/judging"
)

// countingHasher counts the passwords it hashes.
type countingHasher struct {
	judging.Hasher
	hashes atomic.Int64
}

func (c *countingHasher) Hash(password string) (string, error) {
	c.hashes.Add(1)
	return c.Hasher.Hash(password)
}

// withDeps returns a Service on the harness's store and clock, changed by d.
func (h *harness) withDeps(tb testing.TB, change func(*judging.Deps)) *judging.Service {
	tb.Helper()
	d := judging.Deps{Store: h.store, Clock: h.clock, Hasher: cheapHasher, Logger: slog.New(slog.DiscardHandler)}
	change(&d)
	return must(judging.NewService(d))(tb)
}

func TestService_AcceptInvite_cost(t *testing.T) {
	// An invitation that is unknown, used or voided → 401 before any password is hashed:
	// guessing invitations costs the server no argon2 work.
	h := newService(t)
	hasher := &countingHasher{Hasher: cheapHasher}
	svc := h.withDeps(t, func(d *judging.Deps) { d.Hasher = hasher })
	u, tok := must2(svc.CreateJudge(h.ctx, h.admin, judging.JudgeInput{Name: "J", Email: "cost@jury.test", Categories: []string{catCyber}}))(t)
	newer := must(svc.InviteJudge(h.ctx, h.admin, u.ID))(t)
	before := hasher.hashes.Load()
	for name, token := range map[string]string{"unknown": "no-such-invitation", "voided": tok} {
		_, err := svc.AcceptInvite(h.ctx, token, userPassword)
		wantErr(t, err, judging.ErrBadInvite)
		if got := hasher.hashes.Load() - before; got != 0 {
			t.Fatalf("an %s invitation cost %d password hashes, want 0", name, got)
		}
	}
	must(svc.AcceptInvite(h.ctx, newer, userPassword))(t)
	if got := hasher.hashes.Load() - before; got != 1 {
		t.Fatalf("a good invitation cost %d password hashes, want 1", got)
	}
	before = hasher.hashes.Load()
	_, err := svc.AcceptInvite(h.ctx, newer, userPassword)
	wantErr(t, err, judging.ErrBadInvite)
	if got := hasher.hashes.Load() - before; got != 0 {
		t.Fatalf("a used invitation cost %d password hashes, want 0", got)
	}
}

func TestService_InviteJudge(t *testing.T) {
	h := newService(t)
	newJudge := func(t *testing.T, email string) (judging.User, string) {
		t.Helper()
		return must2(h.svc.CreateJudge(h.ctx, h.admin, judging.JudgeInput{Name: "Judge", Email: email, Categories: []string{catCyber}}))(t)
	}

	t.Run("OK/the earlier invitation stops working", func(t *testing.T) {
		// POST /judges/{id}/invite (admin) → a new invitation; the judge's earlier one stops working.
		u, first := newJudge(t, "lost@jury.test")
		second := must(h.svc.InviteJudge(h.ctx, h.admin, u.ID))(t)
		if second == "" || second == first {
			t.Fatalf("new invitation %q, want a fresh one", second)
		}
		_, err := h.svc.AcceptInvite(h.ctx, first, userPassword)
		wantErr(t, err, judging.ErrBadInvite)
		if got := must(h.svc.AcceptInvite(h.ctx, second, userPassword))(t); got.ID != u.ID {
			t.Fatalf("accepted as %s, want %s", got.ID, u.ID)
		}
	})

	t.Run("OK/a judge locked out sets a new password", func(t *testing.T) {
		// A new invitation may go to a judge who already set a password: accepting it sets a new one.
		u, first := newJudge(t, "locked@jury.test")
		must(h.svc.AcceptInvite(h.ctx, first, userPassword))(t)
		must(h.svc.AcceptInvite(h.ctx, must(h.svc.InviteJudge(h.ctx, h.admin, u.ID))(t), "a brand new password"))(t)
		must(h.svc.Login(h.ctx, "locked@jury.test", "a brand new password", ""))(t)
		_, err := h.svc.Login(h.ctx, "locked@jury.test", userPassword, "")
		wantErr(t, err, judging.ErrBadCredentials)
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		// 404 for an unknown id, or an id that is not a judge's.
		for name, id := range map[string]string{
			"unknown": "u_nobody", "empty": "", "an exhibitor": h.exhibitor("Acme").ID, "the admin": h.admin.ID,
			"a screen": must(h.svc.CreateScreen(h.ctx, h.admin, "Hall"))(t).ID, "too long": "u_" + string(make([]byte, 300)),
		} {
			_, err := h.svc.InviteJudge(h.ctx, h.admin, id)
			if err == nil {
				t.Fatalf("%s: a new invitation was issued", name)
			}
			wantErr(t, err, judging.ErrNotFound)
		}
	})

	t.Run("ErrForbidden", func(t *testing.T) {
		// POST /judges/{id}/invite is for admins.
		u, _ := newJudge(t, "forbidden@jury.test")
		_, err := h.svc.InviteJudge(h.ctx, judging.Actor{ID: u.ID, Role: judging.RoleJudge}, u.ID)
		wantErr(t, err, judging.ErrForbidden)
		_, err = h.svc.InviteJudge(h.ctx, judging.Actor{}, u.ID)
		wantErr(t, err, judging.ErrUnauthorized)
	})
}

func TestService_InviteTTL(t *testing.T) {
	// Invitations expire after 14 days (here a short TTL): an expired invitation → 401.
	h := newService(t)
	svc := h.withDeps(t, func(d *judging.Deps) { d.InviteTTL = 50 * time.Millisecond })
	u, tok := must2(svc.CreateJudge(h.ctx, h.admin, judging.JudgeInput{Name: "J", Email: "slow@jury.test", Categories: []string{catCyber}}))(t)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		// The store-level check does not burn the invitation, unlike accepting it.
		if _, err := h.store.InvitedUser(h.ctx, hashOf(tok)); err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the invitation has not expired")
		}
	}
	_, err := svc.AcceptInvite(h.ctx, tok, userPassword)
	wantErr(t, err, judging.ErrBadInvite)
	// The admin recovers with a new invitation, which lasts 14 days by default.
	fresh := must(h.svc.InviteJudge(h.ctx, h.admin, u.ID))(t)
	if ttl := h.rdb.PTTL(h.ctx, "awards:{jury}:invite:"+hashOf(fresh)).Val(); ttl <= time.Hour || ttl > judging.InviteTTL {
		t.Fatalf("a default invitation has TTL %v, want up to %v", ttl, judging.InviteTTL)
	}
	must(h.svc.AcceptInvite(h.ctx, fresh, userPassword))(t)
}

func TestService_Screens(t *testing.T) {
	h := newService(t)
	var made []judging.User
	for i, name := range []string{"Main hall", "Press room", "Lobby"} {
		h.clock.T = t0.Add(time.Duration(3-i) * time.Minute) // created out of id order
		made = append(made, must(h.svc.CreateScreen(h.ctx, h.admin, name))(t))
	}
	h.clock.T = t0

	t.Run("OK/oldest first", func(t *testing.T) {
		// GET /screens (admin) → [{id, name, created_at}], oldest first.
		got := must(h.svc.Screens(h.ctx, h.admin))(t)
		var names []string
		for _, u := range got {
			names = append(names, u.Name)
		}
		if want := []string{"Lobby", "Press room", "Main hall"}; len(names) != 3 || names[0] != want[0] || names[1] != want[1] || names[2] != want[2] {
			t.Fatalf("screens %v, want %v", names, want)
		}
	})

	t.Run("OK/a deleted screen's token is refused", func(t *testing.T) {
		// DELETE /screens/{id} (admin) → that screen's token → 401 from then on.
		scr := judging.Actor{ID: made[0].ID, Role: judging.RoleScreen}
		if err := h.svc.CheckActor(h.ctx, scr); err != nil {
			t.Fatalf("before: %v", err)
		}
		if err := h.svc.DeleteScreen(h.ctx, h.admin, scr.ID); err != nil {
			t.Fatal(err)
		}
		wantErr(t, h.svc.CheckActor(h.ctx, scr), judging.ErrUnauthorized)
		if got := must(h.svc.Screens(h.ctx, h.admin))(t); len(got) != 2 {
			t.Fatalf("%d screens left, want 2", len(got))
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		// 404 for an unknown id, or an id that is not a screen's.
		for name, id := range map[string]string{"deleted": made[0].ID, "unknown": "s_nobody", "the admin": h.admin.ID, "empty": ""} {
			if err := h.svc.DeleteScreen(h.ctx, h.admin, id); err == nil {
				t.Fatalf("%s: deleted", name)
			} else {
				wantErr(t, err, judging.ErrNotFound)
			}
		}
		if err := h.svc.CheckActor(h.ctx, h.admin); err != nil {
			t.Fatalf("the admin after DeleteScreen(admin id): %v", err)
		}
	})

	t.Run("ErrForbidden", func(t *testing.T) {
		// GET /screens and DELETE /screens/{id} are for admins.
		ex := h.exhibitor("Acme")
		_, err := h.svc.Screens(h.ctx, ex)
		wantErr(t, err, judging.ErrForbidden)
		wantErr(t, h.svc.DeleteScreen(h.ctx, ex, made[1].ID), judging.ErrForbidden)
		wantErr(t, h.svc.DeleteScreen(h.ctx, judging.Actor{}, made[1].ID), judging.ErrUnauthorized)
	})
}

// must2 is must for two results.
func must2[A, B any](a A, b B, err error) func(testing.TB) (A, B) {
	return func(tb testing.TB) (A, B) {
		tb.Helper()
		if err != nil {
			tb.Fatalf("unexpected error: %v", err)
		}
		return a, b
	}
}

// hashOf is the store's name for an invitation token: its SHA-256 in hex.
func hashOf(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}
