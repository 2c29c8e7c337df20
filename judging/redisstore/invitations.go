package redisstore

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
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

// reinviteAttempts bounds the retries of Reinvite and RedeemInvite when concurrent calls move
// what they read.
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
		case "MOVED":
			continue
		}
		return unexpected("reinvite", res)
	}
	return fmt.Errorf("redisstore: reinvite %s: the invitation kept changing under %d attempts", userID, reinviteAttempts)
}

// RedeemInvite sets the password of the invitation's user and burns the invitation. The user's
// record is read and changed here, and written by a script only if the invitation still names
// them and the record is still the one read; if it changed meanwhile, it reads again.
func (s *Store) RedeemInvite(ctx context.Context, inviteHash, passwordHash string) (judging.User, error) {
	for range reinviteAttempts {
		id, err := s.InvitedUser(ctx, inviteHash)
		if err != nil {
			return judging.User{}, err
		}
		raw, err := s.rdb.Get(ctx, s.k.user(id)).Bytes()
		if errors.Is(err, redis.Nil) {
			return judging.User{}, judging.ErrNotFound
		}
		if err != nil {
			return judging.User{}, wrap("redeem invite", err)
		}
		u, err := decodeUser(id, raw)
		if err != nil {
			return judging.User{}, err
		}
		u.PasswordHash = passwordHash
		b, err := jsonMarshal(toRecord(u))
		if err != nil {
			return judging.User{}, wrapValue("redeem invite", err)
		}
		sum := sha1.Sum(raw)
		keys := []string{s.k.invite(inviteHash), s.k.user(id), s.k.inviteOf(id)}
		res, err := s.s.redeemInvite.Run(ctx, s.rdb, keys, id, hex.EncodeToString(sum[:]), b, inviteHash).Text()
		if err != nil {
			return judging.User{}, wrap("redeem invite", err)
		}
		switch res {
		case "OK":
			return u, nil
		case "BAD_INVITE":
			return judging.User{}, judging.ErrBadInvite
		case "MOVED":
			continue
		}
		return judging.User{}, unexpected("redeem invite", res)
	}
	return judging.User{}, fmt.Errorf("redisstore: redeem invite: the user's record kept changing under %d attempts", reinviteAttempts)
}
