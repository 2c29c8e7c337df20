package redisstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/awards-dev/awards/judging"
)

var _ judging.Invitations = (*Store)(nil)

// A judge's invitation is two keys in the {jury} tag, both with the invitation's TTL:
// invite:<hash> names the user, invite:of:<user> names the hash, so that a new invitation
// voids the earlier one and a redeemed one is burnt with its pointer.

// reinviteAttempts bounds the retries of Reinvite when concurrent calls move the pointer.
const reinviteAttempts = 8

// checkInvitation refuses an invitation that would never expire.
func checkInvitation(inv judging.Invitation) error {
	if inv.TTL < time.Millisecond {
		return fmt.Errorf("redisstore: invitation TTL %v: must be at least 1ms", inv.TTL)
	}
	return nil
}

// InvitedUser returns the id of the user the invitation names.
func (s *Store) InvitedUser(ctx context.Context, inviteHash string) (string, error) {
	id, err := s.rdb.Get(ctx, s.k.invite(inviteHash)).Result()
	if errors.Is(err, redis.Nil) {
		return "", judging.ErrBadInvite
	}
	if err != nil {
		return "", wrap("invited user", err)
	}
	return id, nil
}

// Reinvite makes inv the user's one invitation, deleting the earlier one in the same script.
// The earlier one's key is read first (a script declares its keys); if a concurrent call moved
// the pointer meanwhile, it reads again.
func (s *Store) Reinvite(ctx context.Context, userID string, inv judging.Invitation) error {
	if inv.Hash == "" {
		return errors.New("redisstore: reinvite: no invitation hash")
	}
	if err := checkInvitation(inv); err != nil {
		return err
	}
	for range reinviteAttempts {
		earlier, err := s.rdb.Get(ctx, s.k.inviteOf(userID)).Result()
		if err != nil && !errors.Is(err, redis.Nil) {
			return wrap("reinvite", err)
		}
		keys := []string{s.k.user(userID), s.k.inviteOf(userID), s.k.invite(earlier), s.k.invite(inv.Hash)}
		res, err := s.s.reinvite.Run(ctx, s.rdb, keys, userID, earlier, inv.Hash, inv.TTL.Milliseconds()).Text()
		if err != nil {
			return wrap("reinvite", err)
		}
		switch res {
		case "OK":
			return nil
		case "NO_USER":
			return judging.ErrNotFound
		}
	}
	return fmt.Errorf("redisstore: reinvite %s: the invitation kept changing under %d attempts", userID, reinviteAttempts)
}

// RedeemInvite sets the password of the invitation's user and burns the invitation.
func (s *Store) RedeemInvite(ctx context.Context, inviteHash, passwordHash string) (judging.User, error) {
	id, err := s.InvitedUser(ctx, inviteHash)
	if err != nil {
		return judging.User{}, err
	}
	u, err := s.User(ctx, id)
	if err != nil {
		return judging.User{}, err
	}
	u.PasswordHash = passwordHash
	b, err := jsonMarshal(toRecord(u))
	if err != nil {
		return judging.User{}, err
	}
	res, err := s.s.redeemInvite.Run(ctx, s.rdb, []string{s.k.invite(inviteHash), s.k.user(id), s.k.inviteOf(id)}, id, b, inviteHash).Text()
	if err != nil {
		return judging.User{}, wrap("redeem invite", err)
	}
	if res != "OK" {
		return judging.User{}, judging.ErrBadInvite
	}
	return u, nil
}
