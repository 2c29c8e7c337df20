package judging

import (
	"context"
	"errors"
	"strings"
	"time"
)

// Login rate limit (API.md): 10 failed logins for one email in 15 minutes → 429.
const (
	LoginFailureLimit  = 10
	LoginFailureWindow = 15 * time.Minute
)

// Register creates an exhibitor account.
func (s *Service) Register(ctx context.Context, r Registration) (User, error) {
	if err := r.Validate(); err != nil {
		return User{}, err
	}
	hash, err := s.hash.Hash(r.Password)
	if err != nil {
		return User{}, err
	}
	u := User{
		ID: newID("u"), Role: RoleExhibitor, Email: r.Email, PasswordHash: hash,
		Company: r.Company, Country: r.Country, Startup: r.Startup, CreatedAt: s.clock.Now().UTC(),
	}
	if err := s.store.CreateUser(ctx, u, Invitation{}); err != nil {
		return User{}, err
	}
	return u, nil
}

// EnsureAdmin creates the admin with this email and password unless an admin exists; it
// reports whether it created one.
func (s *Service) EnsureAdmin(ctx context.Context, email, password string) (bool, error) {
	if exists, err := s.HasAdmin(ctx); err != nil || exists {
		return false, err
	}
	if err := checkEmail(&email); err != nil {
		return false, err
	}
	if err := checkPassword(password); err != nil {
		return false, err
	}
	hash, err := s.hash.Hash(password)
	if err != nil {
		return false, err
	}
	u := User{ID: newID("u"), Role: RoleAdmin, Email: email, PasswordHash: hash, Name: "Administrator", CreatedAt: s.clock.Now().UTC()}
	err = s.store.CreateUser(ctx, u, Invitation{})
	if errors.Is(err, ErrEmailTaken) {
		// Another instance starting at the same time created it; or the email belongs to
		// someone else, which the admin must sort out.
		if other, err := s.store.UserByEmail(ctx, email); err == nil && other.Role == RoleAdmin {
			return false, nil
		}
		return false, err
	}
	if err != nil {
		return false, err
	}
	return true, nil
}

// HasAdmin reports whether any admin account exists.
func (s *Service) HasAdmin(ctx context.Context) (bool, error) {
	admins, err := s.store.UsersByRole(ctx, RoleAdmin)
	return len(admins) > 0, err
}

// Login checks an email and password. An unknown email and a wrong password get the same
// answer after the same work; after LoginFailureLimit failures for one email within
// LoginFailureWindow, every attempt for it is refused with ErrRateLimited until the window ends.
func (s *Service) Login(ctx context.Context, email, password string) (User, error) {
	key := "login:" + EmailKey(email)
	n, err := s.store.Failures(ctx, key)
	if err != nil {
		return User{}, err
	}
	if n >= LoginFailureLimit {
		return User{}, ErrRateLimited
	}
	u, err := s.store.UserByEmail(ctx, email)
	switch {
	case errors.Is(err, ErrNotFound):
		s.hash.Verify(s.dummy, password)
	case err != nil:
		return User{}, err
	case u.PasswordHash == "": // a judge who has not accepted the invitation yet
		s.hash.Verify(s.dummy, password)
	case s.hash.Verify(u.PasswordHash, password):
		return u, nil
	}
	if _, err := s.store.AddFailure(ctx, key, LoginFailureWindow); err != nil {
		return User{}, err
	}
	return User{}, ErrBadCredentials
}

// CheckActor confirms that a token's subject is still a user holding that role.
func (s *Service) CheckActor(ctx context.Context, a Actor) error {
	u, err := s.store.User(ctx, a.ID)
	if errors.Is(err, ErrNotFound) {
		return ErrUnauthorized
	}
	if err != nil {
		return err
	}
	if u.Role != a.Role {
		return ErrUnauthorized
	}
	return nil
}

// User returns a user by id.
func (s *Service) User(ctx context.Context, id string) (User, error) { return s.store.User(ctx, id) }

// CreateJudge invites a judge: it stores the judge and returns a one-use invitation token
// with which they set a password, valid for the invitation TTL (InviteTTL by default).
func (s *Service) CreateJudge(ctx context.Context, a Actor, in JudgeInput) (User, string, error) {
	if err := requireRole(a, RoleAdmin); err != nil {
		return User{}, "", err
	}
	p, _, err := s.programme(ctx)
	if err != nil {
		return User{}, "", err
	}
	if err := in.validate(&p); err != nil {
		return User{}, "", err
	}
	invite, inv := s.invitation()
	u := User{
		ID: newID("u"), Role: RoleJudge, Email: in.Email, Name: in.Name,
		Affiliations: in.Affiliations, Categories: in.Categories, CreatedAt: s.clock.Now().UTC(),
	}
	if err := s.store.CreateUser(ctx, u, inv); err != nil {
		return User{}, "", err
	}
	return u, invite, nil
}

// AcceptInvite sets a judge's password from their invitation; the invitation is then used up.
// An unknown, used, voided or expired invitation is refused before the password is hashed,
// so that guessing invitations costs the server no hashing work.
func (s *Service) AcceptInvite(ctx context.Context, token, password string) (User, error) {
	if err := checkPassword(password); err != nil {
		return User{}, err
	}
	if token == "" || len(token) > 200 {
		return User{}, ErrBadInvite
	}
	if _, err := s.store.InvitedUser(ctx, inviteHash(token)); err != nil {
		return User{}, err
	}
	hash, err := s.hash.Hash(password)
	if err != nil {
		return User{}, err
	}
	return s.store.RedeemInvite(ctx, inviteHash(token), hash)
}

// CreateScreen creates a ceremony display account; the caller issues its long-lived token.
func (s *Service) CreateScreen(ctx context.Context, a Actor, name string) (User, error) {
	if err := requireRole(a, RoleAdmin); err != nil {
		return User{}, err
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return User{}, Invalidf("missing_field", "name is required")
	}
	if err := checkText("name", &name, maxName, false); err != nil {
		return User{}, err
	}
	u := User{ID: newID("s"), Role: RoleScreen, Name: name, CreatedAt: s.clock.Now().UTC()}
	if err := s.store.CreateUser(ctx, u, Invitation{}); err != nil {
		return User{}, err
	}
	return u, nil
}

// Secret returns the secret stored under name, storing candidate if there is none yet, so
// every instance and every restart share one.
func (s *Service) Secret(ctx context.Context, name string, candidate []byte) ([]byte, error) {
	return s.store.EnsureSecret(ctx, name, candidate)
}

// Judges lists every judge, for an admin.
func (s *Service) Judges(ctx context.Context, a Actor) ([]User, error) {
	if err := requireRole(a, RoleAdmin); err != nil {
		return nil, err
	}
	js, err := s.store.UsersByRole(ctx, RoleJudge)
	if js == nil && err == nil {
		js = []User{}
	}
	return js, err
}
