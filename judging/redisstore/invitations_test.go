package redisstore_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/awards-dev/awards/judging"
	"github.com/awards-dev/awards/judging/judgingtest"
	"github.com/awards-dev/awards/judging/redisstore"
	"github.com/awards-dev/awards/judging/redisstore/redistest"
)

func TestStore_Reinvite(t *testing.T) {
	ctx := t.Context()
	rdb := redistest.New(t)
	s := redisstore.New(rdb)
	inv := func(hash string) judging.Invitation { return judging.Invitation{Hash: hash, TTL: time.Hour} }
	newJudge := func(t *testing.T, id, hash string) {
		t.Helper()
		j := judging.User{ID: id, Role: judging.RoleJudge, Email: id + "@jury.test", Categories: []string{judgingtest.CatCyber}, CreatedAt: judgingtest.T0}
		if err := s.CreateUser(ctx, j, inv(hash)); err != nil {
			t.Fatal(err)
		}
	}
	inviteKeys := func(t *testing.T) []string {
		t.Helper()
		return judgingtest.Must(rdb.Keys(ctx, "awards:{jury}:invite:*").Result())(t)
	}

	t.Run("OK/the earlier invitation stops working", func(t *testing.T) {
		// POST /judges/{id}/invite: a new invitation; the judge's earlier one stops working.
		newJudge(t, "u_a", "a1")
		if err := s.Reinvite(ctx, "u_a", inv("a2")); err != nil {
			t.Fatal(err)
		}
		_, err := s.InvitedUser(ctx, "a1")
		judgingtest.WantErr(t, err, judging.ErrBadInvite)
		_, err = s.RedeemInvite(ctx, "a1", "$old")
		judgingtest.WantErr(t, err, judging.ErrBadInvite)
		if got := judgingtest.Must(s.InvitedUser(ctx, "a2"))(t); got != "u_a" {
			t.Fatalf("InvitedUser(a2) = %q, want u_a", got)
		}
		judgingtest.Must(s.RedeemInvite(ctx, "a2", "$new"))(t)
		if keys := inviteKeys(t); len(keys) != 0 {
			t.Fatalf("after the redemption, invitation keys %v remain, want none (the pointer is burnt too)", keys)
		}
	})

	t.Run("OK/a judge who set a password gets a new one", func(t *testing.T) {
		// A new invitation for a judge who already set a password resets it (a judge locked
		// out on the day).
		newJudge(t, "u_b", "b1")
		judgingtest.Must(s.RedeemInvite(ctx, "b1", "$first"))(t)
		if err := s.Reinvite(ctx, "u_b", inv("b2")); err != nil {
			t.Fatal(err)
		}
		judgingtest.Must(s.RedeemInvite(ctx, "b2", "$second"))(t)
		if got := judgingtest.Must(s.User(ctx, "u_b"))(t).PasswordHash; got != "$second" {
			t.Fatalf("password hash %q, want $second", got)
		}
	})

	t.Run("OK/both keys expire with the invitation", func(t *testing.T) {
		// Invitations expire after 14 days: the invitation and the judge's pointer to it
		// carry its TTL.
		newJudge(t, "u_c", "c1")
		for _, k := range []string{"awards:{jury}:invite:c1", "awards:{jury}:invite:of:u_c"} {
			if ttl := rdb.PTTL(ctx, k).Val(); ttl <= 0 || ttl > time.Hour {
				t.Errorf("%s has TTL %v, want the invitation's (at most 1h)", k, ttl)
			}
		}
	})

	t.Run("OK/concurrent invitations leave exactly one", func(t *testing.T) {
		// The judge's earlier invitation stops working: however many are issued at once,
		// one is left.
		newJudge(t, "u_d", "d0")
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Go(func() {
				if err := s.Reinvite(ctx, "u_d", inv(fmt.Sprint("d", i+1))); err != nil {
					t.Errorf("Reinvite: %v", err)
				}
			})
		}
		wg.Wait()
		live := 0
		for i := range 9 {
			if _, err := s.InvitedUser(ctx, fmt.Sprint("d", i)); err == nil {
				live++
			}
		}
		if live != 1 {
			t.Fatalf("%d invitations of u_d work, want 1", live)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		// 404 for an unknown id; nothing is written.
		before := len(inviteKeys(t))
		judgingtest.WantErr(t, s.Reinvite(ctx, "u_nobody", inv("x1")), judging.ErrNotFound)
		if after := len(inviteKeys(t)); after != before {
			t.Fatalf("%d invitation keys after, %d before", after, before)
		}
	})
}

func TestStore_InvitationExpiry(t *testing.T) {
	// Invitations expire: an expired one is refused like a used one (401), on a real Redis
	// and on the embedded store alike.
	ctx := t.Context()
	s := redisstore.New(redistest.New(t))
	short := func(hash string) judging.Invitation {
		return judging.Invitation{Hash: hash, TTL: 50 * time.Millisecond}
	}
	j := judging.User{ID: "u_e", Role: judging.RoleJudge, Email: "e@jury.test", Categories: []string{judgingtest.CatCyber}, CreatedAt: judgingtest.T0}
	if err := s.CreateUser(ctx, j, short("e1")); err != nil {
		t.Fatal(err)
	}
	waitGone := func(hash string) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); ; {
			if _, err := s.InvitedUser(ctx, hash); err != nil {
				judgingtest.WantErr(t, err, judging.ErrBadInvite)
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("invitation %s has not expired", hash)
			}
			time.Sleep(10 * time.Millisecond)
		}
		_, err := s.RedeemInvite(ctx, hash, "$pw")
		judgingtest.WantErr(t, err, judging.ErrBadInvite)
	}
	waitGone("e1")
	if err := s.Reinvite(ctx, "u_e", short("e2")); err != nil {
		t.Fatalf("a new invitation after the first expired: %v", err)
	}
	waitGone("e2")
}

func TestStore_DeleteScreen(t *testing.T) {
	ctx := t.Context()
	s := redisstore.New(redistest.New(t))
	for _, u := range []judging.User{
		{ID: "s_1", Role: judging.RoleScreen, Name: "Hall 1", CreatedAt: judgingtest.T0},
		{ID: "s_2", Role: judging.RoleScreen, Name: "Hall 2", CreatedAt: judgingtest.T0},
		{ID: "u_j", Role: judging.RoleJudge, Email: "j@jury.test", CreatedAt: judgingtest.T0},
	} {
		if err := s.CreateUser(ctx, u, judging.Invitation{}); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("OK", func(t *testing.T) {
		// DELETE /screens/{id}: the screen's account is gone, the others stay.
		if err := s.DeleteScreen(ctx, "s_1"); err != nil {
			t.Fatal(err)
		}
		_, err := s.User(ctx, "s_1")
		judgingtest.WantErr(t, err, judging.ErrNotFound)
		screens := judgingtest.Must(s.UsersByRole(ctx, judging.RoleScreen))(t)
		if len(screens) != 1 || screens[0].ID != "s_2" {
			t.Fatalf("screens = %+v, want only s_2", screens)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		// 404 for an unknown id, or an id that is not a screen's; nothing is deleted.
		judgingtest.WantErr(t, s.DeleteScreen(ctx, "s_1"), judging.ErrNotFound)
		judgingtest.WantErr(t, s.DeleteScreen(ctx, "s_nobody"), judging.ErrNotFound)
		judgingtest.WantErr(t, s.DeleteScreen(ctx, "u_j"), judging.ErrNotFound)
		if _, err := s.User(ctx, "u_j"); err != nil {
			t.Fatalf("the judge: %v", err)
		}
	})
}

func TestStore_RedeemInvite_concurrent(t *testing.T) {
	ctx := t.Context()
	rdb := redistest.New(t)
	s := redisstore.New(rdb)
	inv := func(hash string) judging.Invitation { return judging.Invitation{Hash: hash, TTL: time.Hour} }

	t.Run("OK/redemptions racing a new invitation", func(t *testing.T) {
		// A new invitation voids the earlier one: two redemptions of an invitation racing a new
		// one set at most one password, never after the new one was issued, and the new one
		// always works.
		j := judging.User{ID: "u_r", Role: judging.RoleJudge, Email: "r@jury.test", CreatedAt: judgingtest.T0}
		judgingtest.Must(0, s.CreateUser(ctx, j, inv("r0")))(t)
		password := ""
		for round := range 30 {
			current, next := fmt.Sprintf("r%d", round), fmt.Sprintf("r%d", round+1)
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for k := range errs {
				wg.Go(func() { _, errs[k] = s.RedeemInvite(ctx, current, fmt.Sprintf("$pw-%d-%d", round, k)) })
			}
			var reinviteErr error
			wg.Go(func() { reinviteErr = s.Reinvite(ctx, j.ID, inv(next)) })
			wg.Wait()
			if reinviteErr != nil {
				t.Fatalf("round %d: Reinvite: %v", round, reinviteErr)
			}
			redeemed := 0
			for k, err := range errs {
				if err == nil {
					redeemed++
					password = fmt.Sprintf("$pw-%d-%d", round, k)
					continue
				}
				judgingtest.WantErr(t, err, judging.ErrBadInvite)
			}
			if redeemed > 1 {
				t.Fatalf("round %d: one invitation redeemed %d times", round, redeemed)
			}
			if got := judgingtest.Must(s.User(ctx, j.ID))(t).PasswordHash; got != password {
				t.Fatalf("round %d: password hash %q, want %q", round, got, password)
			}
			_, err := s.InvitedUser(ctx, current)
			judgingtest.WantErr(t, err, judging.ErrBadInvite)
			if got := judgingtest.Must(s.InvitedUser(ctx, next))(t); got != j.ID {
				t.Fatalf("round %d: the new invitation names %q, want %q", round, got, j.ID)
			}
			if got := judgingtest.Must(rdb.Get(ctx, "awards:{jury}:invite:of:"+j.ID).Result())(t); got != next {
				t.Fatalf("round %d: the judge's invitation is %q, want %q", round, got, next)
			}
		}
	})

	t.Run("OK/a change to the account while redeeming is kept", func(t *testing.T) {
		// The account is read, changed and written as one step: a redemption never writes back
		// an account record that changed after it was read.
		j := judging.User{ID: "u_c", Role: judging.RoleJudge, Email: "c@jury.test", Name: "Name 0", CreatedAt: judgingtest.T0}
		judgingtest.Must(0, s.CreateUser(ctx, j, inv("c0")))(t)
		key := "awards:{jury}:user:" + j.ID
		rename := func(name string) error { // another writer of the record, with its own optimistic check
			for {
				err := rdb.Watch(ctx, func(tx *redis.Tx) error {
					var rec map[string]any
					if err := json.Unmarshal(judgingtest.Must(tx.Get(ctx, key).Bytes())(t), &rec); err != nil {
						return err
					}
					rec["name"] = name
					b, _ := json.Marshal(rec)
					_, err := tx.TxPipelined(ctx, func(p redis.Pipeliner) error { return p.Set(ctx, key, b, 0).Err() })
					return err
				}, key)
				if !errors.Is(err, redis.TxFailedErr) {
					return err
				}
			}
		}
		for round := range 30 {
			if round > 0 {
				judgingtest.Must(0, s.Reinvite(ctx, j.ID, inv(fmt.Sprintf("c%d", round))))(t)
			}
			name, pw := fmt.Sprintf("Name %d", round+1), fmt.Sprintf("$pw-%d", round)
			var wg sync.WaitGroup
			var redeemErr, renameErr error
			wg.Go(func() { _, redeemErr = s.RedeemInvite(ctx, fmt.Sprintf("c%d", round), pw) })
			wg.Go(func() { renameErr = rename(name) })
			wg.Wait()
			if redeemErr != nil || renameErr != nil {
				t.Fatalf("round %d: redeem: %v, rename: %v", round, redeemErr, renameErr)
			}
			got := judgingtest.Must(s.User(ctx, j.ID))(t)
			if got.Name != name || got.PasswordHash != pw {
				t.Fatalf("round %d: account named %q with password hash %q, want %q and %q", round, got.Name, got.PasswordHash, name, pw)
			}
		}
	})
}
