package judging_test

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/awards-dev/awards/judging"
	"github.com/awards-dev/awards/judging/judgingtest"
)

func TestService_AcceptInvite_cost(t *testing.T) {
	// An invitation that is unknown, used or voided → 401 before any password is hashed:
	// guessing invitations costs the server no argon2 work.
	h := judgingtest.New(t)
	hasher := &judgingtest.ProbeHasher{Hasher: judgingtest.CheapHasher}
	svc := h.NewService(t, func(d *judging.Deps) { d.Hasher = hasher })
	u, tok := judgingtest.Must2(svc.CreateJudge(h.Ctx, h.Admin, judging.JudgeInput{Name: "J", Email: "cost@jury.test", Categories: []string{judgingtest.CatCyber}}))(t)
	newer := judgingtest.Must(svc.InviteJudge(h.Ctx, h.Admin, u.ID))(t)
	before := hasher.Hashes.Load()
	for name, token := range map[string]string{"unknown": "no-such-invitation", "voided": tok} {
		_, err := svc.AcceptInvite(h.Ctx, token, judgingtest.Password)
		judgingtest.WantErr(t, err, judging.ErrBadInvite)
		if got := hasher.Hashes.Load() - before; got != 0 {
			t.Fatalf("an %s invitation cost %d password hashes, want 0", name, got)
		}
	}
	judgingtest.Must(svc.AcceptInvite(h.Ctx, newer, judgingtest.Password))(t)
	if got := hasher.Hashes.Load() - before; got != 1 {
		t.Fatalf("a good invitation cost %d password hashes, want 1", got)
	}
	before = hasher.Hashes.Load()
	_, err := svc.AcceptInvite(h.Ctx, newer, judgingtest.Password)
	judgingtest.WantErr(t, err, judging.ErrBadInvite)
	if got := hasher.Hashes.Load() - before; got != 0 {
		t.Fatalf("a used invitation cost %d password hashes, want 0", got)
	}
}

func TestService_InviteJudge(t *testing.T) {
	h := judgingtest.New(t)
	newJudge := func(t *testing.T, email string) (judging.User, string) {
		t.Helper()
		return judgingtest.Must2(h.Svc.CreateJudge(h.Ctx, h.Admin, judging.JudgeInput{Name: "Judge", Email: email, Categories: []string{judgingtest.CatCyber}}))(t)
	}

	t.Run("OK/the earlier invitation stops working", func(t *testing.T) {
		// POST /judges/{id}/invite (admin) → a new invitation; the judge's earlier one stops working.
		u, first := newJudge(t, "lost@jury.test")
		second := judgingtest.Must(h.Svc.InviteJudge(h.Ctx, h.Admin, u.ID))(t)
		if second == "" || second == first {
			t.Fatalf("new invitation %q, want a fresh one", second)
		}
		_, err := h.Svc.AcceptInvite(h.Ctx, first, judgingtest.Password)
		judgingtest.WantErr(t, err, judging.ErrBadInvite)
		if got := judgingtest.Must(h.Svc.AcceptInvite(h.Ctx, second, judgingtest.Password))(t); got.ID != u.ID {
			t.Fatalf("accepted as %s, want %s", got.ID, u.ID)
		}
	})

	t.Run("OK/a judge locked out sets a new password", func(t *testing.T) {
		// A new invitation may go to a judge who already set a password: accepting it sets a new one.
		u, first := newJudge(t, "locked@jury.test")
		judgingtest.Must(h.Svc.AcceptInvite(h.Ctx, first, judgingtest.Password))(t)
		judgingtest.Must(h.Svc.AcceptInvite(h.Ctx, judgingtest.Must(h.Svc.InviteJudge(h.Ctx, h.Admin, u.ID))(t), "a brand new password"))(t)
		judgingtest.Must(h.Svc.Login(h.Ctx, "locked@jury.test", "a brand new password", ""))(t)
		_, err := h.Svc.Login(h.Ctx, "locked@jury.test", judgingtest.Password, "")
		judgingtest.WantErr(t, err, judging.ErrBadCredentials)
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		// 404 for an unknown id, or an id that is not a judge's.
		for name, id := range map[string]string{
			"unknown": "u_nobody", "empty": "", "an exhibitor": h.Exhibitor("Acme").ID, "the admin": h.Admin.ID,
			"a screen": judgingtest.Must(h.Svc.CreateScreen(h.Ctx, h.Admin, "Hall"))(t).ID, "too long": "u_" + string(make([]byte, 300)),
		} {
			_, err := h.Svc.InviteJudge(h.Ctx, h.Admin, id)
			if err == nil {
				t.Fatalf("%s: a new invitation was issued", name)
			}
			judgingtest.WantErr(t, err, judging.ErrNotFound)
		}
	})

	t.Run("ErrForbidden", func(t *testing.T) {
		// POST /judges/{id}/invite is for admins.
		u, _ := newJudge(t, "forbidden@jury.test")
		_, err := h.Svc.InviteJudge(h.Ctx, judging.Actor{ID: u.ID, Role: judging.RoleJudge}, u.ID)
		judgingtest.WantErr(t, err, judging.ErrForbidden)
		_, err = h.Svc.InviteJudge(h.Ctx, judging.Actor{}, u.ID)
		judgingtest.WantErr(t, err, judging.ErrUnauthorized)
	})
}

func TestService_InviteTTL(t *testing.T) {
	// Invitations expire after 14 days (here a short TTL): an expired invitation → 401.
	h := judgingtest.New(t)
	svc := h.NewService(t, func(d *judging.Deps) { d.InviteTTL = 50 * time.Millisecond })
	u, tok := judgingtest.Must2(svc.CreateJudge(h.Ctx, h.Admin, judging.JudgeInput{Name: "J", Email: "slow@jury.test", Categories: []string{judgingtest.CatCyber}}))(t)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		// The store-level check does not burn the invitation, unlike accepting it.
		if _, err := h.Store.InvitedUser(h.Ctx, hashOf(tok)); err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the invitation has not expired")
		}
	}
	_, err := svc.AcceptInvite(h.Ctx, tok, judgingtest.Password)
	judgingtest.WantErr(t, err, judging.ErrBadInvite)
	// The admin recovers with a new invitation, which lasts 14 days by default.
	fresh := judgingtest.Must(h.Svc.InviteJudge(h.Ctx, h.Admin, u.ID))(t)
	if ttl := h.RDB.PTTL(h.Ctx, "awards:{jury}:invite:"+hashOf(fresh)).Val(); ttl <= time.Hour || ttl > judging.InviteTTL {
		t.Fatalf("a default invitation has TTL %v, want up to %v", ttl, judging.InviteTTL)
	}
	judgingtest.Must(h.Svc.AcceptInvite(h.Ctx, fresh, judgingtest.Password))(t)
}

func TestService_Screens(t *testing.T) {
	h := judgingtest.New(t)
	var made []judging.User
	for i, name := range []string{"Main hall", "Press room", "Lobby"} {
		h.Clock.T = judgingtest.T0.Add(time.Duration(3-i) * time.Minute) // created out of id order
		made = append(made, judgingtest.Must(h.Svc.CreateScreen(h.Ctx, h.Admin, name))(t))
	}
	h.Clock.T = judgingtest.T0

	t.Run("OK/oldest first", func(t *testing.T) {
		// GET /screens (admin) → [{id, name, created_at}], oldest first.
		got := judgingtest.Must(h.Svc.Screens(h.Ctx, h.Admin))(t)
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
		if err := h.Svc.CheckActor(h.Ctx, scr); err != nil {
			t.Fatalf("before: %v", err)
		}
		if err := h.Svc.DeleteScreen(h.Ctx, h.Admin, scr.ID); err != nil {
			t.Fatal(err)
		}
		judgingtest.WantErr(t, h.Svc.CheckActor(h.Ctx, scr), judging.ErrUnauthorized)
		if got := judgingtest.Must(h.Svc.Screens(h.Ctx, h.Admin))(t); len(got) != 2 {
			t.Fatalf("%d screens left, want 2", len(got))
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		// 404 for an unknown id, or an id that is not a screen's.
		for name, id := range map[string]string{"deleted": made[0].ID, "unknown": "s_nobody", "the admin": h.Admin.ID, "empty": ""} {
			if err := h.Svc.DeleteScreen(h.Ctx, h.Admin, id); err == nil {
				t.Fatalf("%s: deleted", name)
			} else {
				judgingtest.WantErr(t, err, judging.ErrNotFound)
			}
		}
		if err := h.Svc.CheckActor(h.Ctx, h.Admin); err != nil {
			t.Fatalf("the admin after DeleteScreen(admin id): %v", err)
		}
	})

	t.Run("ErrForbidden", func(t *testing.T) {
		// GET /screens and DELETE /screens/{id} are for admins.
		ex := h.Exhibitor("Acme")
		_, err := h.Svc.Screens(h.Ctx, ex)
		judgingtest.WantErr(t, err, judging.ErrForbidden)
		judgingtest.WantErr(t, h.Svc.DeleteScreen(h.Ctx, ex, made[1].ID), judging.ErrForbidden)
		judgingtest.WantErr(t, h.Svc.DeleteScreen(h.Ctx, judging.Actor{}, made[1].ID), judging.ErrUnauthorized)
	})
}

// hashOf is the store's name for an invitation token: its SHA-256 in hex.
func hashOf(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}
