package judging

import (
	"context"
	"errors"
	"strings"
)

// Users keeps the accounts. A use case that checks an email first still relies on CreateUser
// checking it again, atomically, for a race.
type Users interface {
	// CreateUser stores a new user; ErrEmailTaken if its email (case-insensitive) is taken.
	// An invitation with a Hash is stored with it as the user's one-use invitation.
	CreateUser(ctx context.Context, u User, inv Invitation) error
	User(ctx context.Context, id string) (User, error)
	UserByEmail(ctx context.Context, email string) (User, error)
	// EmailTaken reports whether an account holds the email or a look-alike of it (EmailKey).
	EmailTaken(ctx context.Context, email string) (bool, error)
	UsersByRole(ctx context.Context, r Role) ([]User, error)
	// DeleteScreen removes a ceremony screen's account (its record and its role membership)
	// in one step, so that its token is refused from then on; ErrNotFound if no screen has
	// this id.
	DeleteScreen(ctx context.Context, id string) error
}

// Secrets keeps the secrets every instance must share, such as the token signing key.
type Secrets interface {
	// EnsureSecret returns the secret stored under name, storing candidate first if none is.
	EnsureSecret(ctx context.Context, name string, candidate []byte) ([]byte, error)
}

// Register creates an exhibitor account. Each account created counts against clientIP
// (RegisterIPLimit per RegisterWindow, then ErrRateLimited); an empty clientIP is a caller
// inside the process and is not limited.
func (s *Service) Register(ctx context.Context, r Registration, clientIP string) (User, error) {
	if err := r.Validate(); err != nil {
		return User{}, err
	}
	// A taken email is answered before any hashing and is not counted: a registration is an
	// account created. (CreateUser checks again, atomically, for a race.)
	taken, err := s.users.EmailTaken(ctx, r.Email)
	if err != nil {
		return User{}, err
	}
	if taken {
		return User{}, ErrEmailTaken
	}
	limits := registerLimits(clientIP)
	if err := s.reserve(ctx, limits); err != nil {
		return User{}, err
	}
	u, err := s.register(ctx, r)
	if err != nil {
		s.release(ctx, limits) // no account was created
	}
	return u, err
}

func (s *Service) register(ctx context.Context, r Registration) (User, error) {
	hash, err := s.hashPassword(ctx, r.Password)
	if err != nil {
		return User{}, err
	}
	u := User{
		ID: newID("u"), Role: RoleExhibitor, Email: r.Email, PasswordHash: hash,
		Company: r.Company, Country: r.Country, Startup: r.Startup, CreatedAt: s.clock.Now().UTC(),
	}
	if err := s.users.CreateUser(ctx, u, Invitation{}); err != nil {
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
	hash, err := s.hashPassword(ctx, password)
	if err != nil {
		return false, err
	}
	u := User{ID: newID("u"), Role: RoleAdmin, Email: email, PasswordHash: hash, Name: "Administrator", CreatedAt: s.clock.Now().UTC()}
	err = s.users.CreateUser(ctx, u, Invitation{})
	if errors.Is(err, ErrEmailTaken) {
		// Another instance starting at the same time created it; or the email belongs to
		// someone else, which the admin must sort out.
		if other, err := s.users.UserByEmail(ctx, email); err == nil && other.Role == RoleAdmin {
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
	admins, err := s.users.UsersByRole(ctx, RoleAdmin)
	return len(admins) > 0, err
}

// Login checks an email and password from clientIP, counting failures against the login
// limits; an unknown email and a wrong password get the same answer after the same work.
func (s *Service) Login(ctx context.Context, email, password, clientIP string) (User, error) {
	// Each attempt is counted before its password is checked (per email and client IP, per
	// email, per client IP: see LoginPairLimit) and given back if it succeeds; while a counter
	// is full every attempt is refused, the right password too. An empty clientIP is a caller
	// inside the process: only its email is counted.
	//
	// Bounded and free of control characters before anything else: a login's fields become
	// counter keys and argon2 input.
	if len(password) > maxPasswordLen {
		return User{}, Invalidf("invalid_password", "password must be at most %d bytes", maxPasswordLen)
	}
	if err := checkTexts(
		func() error { return checkText("email", &email, maxEmail, false) },
		func() error { return checkText("password", &password, maxPasswordLen, false) },
	); err != nil {
		return User{}, err
	}
	limits := loginLimits(email, clientIP)
	if err := s.reserve(ctx, limits); err != nil {
		return User{}, err
	}
	u, ok, err := s.authenticate(ctx, email, password)
	switch {
	case err != nil: // the store or the hashing gate failed us: not the client's failure
		s.release(ctx, limits)
		return User{}, err
	case !ok:
		return User{}, ErrBadCredentials
	}
	s.release(ctx, limits) // successes never count
	return u, nil
}

// authenticate reports whether password is email's. An unknown email, and a judge who has not
// accepted the invitation yet, cost a check of a dummy hash, like a real one.
func (s *Service) authenticate(ctx context.Context, email, password string) (User, bool, error) {
	if len(password) < MinPasswordLen {
		return User{}, false, nil // no account has a password this short: nothing to check
	}
	u, err := s.users.UserByEmail(ctx, email)
	switch {
	case errors.Is(err, ErrNotFound):
		_, err := s.verifyPassword(ctx, s.dummy, password)
		return User{}, false, err
	case err != nil:
		return User{}, false, err
	case u.PasswordHash == "":
		_, err := s.verifyPassword(ctx, s.dummy, password)
		return User{}, false, err
	}
	ok, err := s.verifyPassword(ctx, u.PasswordHash, password)
	return u, ok, err
}

// CheckActor confirms that a token's subject is still a user holding that role.
func (s *Service) CheckActor(ctx context.Context, a Actor) error {
	u, err := s.users.User(ctx, a.ID)
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
func (s *Service) User(ctx context.Context, id string) (User, error) { return s.users.User(ctx, id) }

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
	if err := s.users.CreateUser(ctx, u, inv); err != nil {
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
	if _, err := s.invites.InvitedUser(ctx, inviteHash(token)); err != nil {
		return User{}, err
	}
	hash, err := s.hashPassword(ctx, password)
	if err != nil {
		return User{}, err
	}
	return s.invites.RedeemInvite(ctx, inviteHash(token), hash)
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
	if err := s.users.CreateUser(ctx, u, Invitation{}); err != nil {
		return User{}, err
	}
	return u, nil
}

// Secret returns the secret stored under name, storing candidate if there is none yet, so
// every instance and every restart share one.
func (s *Service) Secret(ctx context.Context, name string, candidate []byte) ([]byte, error) {
	return s.secrets.EnsureSecret(ctx, name, candidate)
}

// Judges lists every judge, for an admin.
func (s *Service) Judges(ctx context.Context, a Actor) ([]User, error) {
	if err := requireRole(a, RoleAdmin); err != nil {
		return nil, err
	}
	js, err := s.users.UsersByRole(ctx, RoleJudge)
	if js == nil && err == nil {
		js = []User{}
	}
	return js, err
}
