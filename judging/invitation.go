package judging

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"
)

// Invitations keeps the judges' one-use invitations (CreateUser stores a judge's first).
type Invitations interface {
	// InvitedUser returns the id of the user the invitation names; ErrBadInvite if it is
	// unknown, used, voided or expired.
	InvitedUser(ctx context.Context, inviteHash string) (string, error)
	// Reinvite makes inv the user's one invitation: their earlier one, if any, stops working
	// in the same step. ErrNotFound if there is no such user.
	Reinvite(ctx context.Context, userID string, inv Invitation) error
	// RedeemInvite sets the password of the invitation's user and burns it; ErrBadInvite if
	// it is unknown, used, voided or expired.
	RedeemInvite(ctx context.Context, inviteHash, passwordHash string) (User, error)
}

// InviteTTL is how long a judge's invitation lasts unless Deps.InviteTTL says otherwise.
const InviteTTL = 14 * 24 * time.Hour

// Invitation is what the store keeps of a judge's invitation: the hash of its token (a leaked
// store leaks no live invitation) and how long it lasts. The zero value is no invitation.
type Invitation struct {
	Hash string
	TTL  time.Duration
}

// invitation returns a new invitation token and what the store keeps of it.
func (s *Service) invitation() (string, Invitation) {
	token := newToken()
	return token, Invitation{Hash: inviteHash(token), TTL: s.inviteTTL}
}

// inviteHash is what the store keeps of an invitation token.
func inviteHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// InviteJudge gives a judge a new invitation and voids their earlier one; accepting it sets a
// new password, which is also how an admin resets a judge locked out on the day.
func (s *Service) InviteJudge(ctx context.Context, a Actor, judgeID string) (string, error) {
	if err := requireRole(a, RoleAdmin); err != nil {
		return "", err
	}
	if judgeID == "" || len(judgeID) > maxIDLen {
		return "", ErrNotFound
	}
	u, err := s.users.User(ctx, judgeID)
	if errors.Is(err, ErrNotFound) || (err == nil && u.Role != RoleJudge) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", err
	}
	token, inv := s.invitation()
	if err := s.invites.Reinvite(ctx, judgeID, inv); err != nil {
		return "", err
	}
	return token, nil
}
