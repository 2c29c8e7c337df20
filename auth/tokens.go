package auth

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/awards-dev/awards/judging"
)

// TokenTTL is how long a login or invitation token stays valid: one show day.
const TokenTTL = 12 * time.Hour

// The fixed parts of every token.
const (
	tokenIssuer   = "awards"
	tokenAudience = "awards"
)

// MinSecretLen is the shortest JWT signing secret accepted, in bytes (HS256 wants 256 bits).
const MinSecretLen = 32

// Tokens issues and verifies the service's JWTs: HS256, iss and aud "awards", exp required.
type Tokens struct {
	secret   []byte
	now      func() time.Time
	parser   *jwt.Parser
	verified verified // tokens that passed, by hash: a token sent again is not parsed again
}

// Option configures Tokens.
type Option func(*Tokens)

// WithClock sets the clock used for iat and exp and for checking them, so tests control time.
func WithClock(now func() time.Time) Option {
	return func(t *Tokens) { t.now = now }
}

// NewTokens refuses a secret shorter than MinSecretLen bytes.
func NewTokens(secret []byte, opts ...Option) (*Tokens, error) {
	if len(secret) < MinSecretLen {
		return nil, fmt.Errorf("auth: the JWT secret has %d bytes, it needs at least %d", len(secret), MinSecretLen)
	}
	t := &Tokens{secret: append([]byte(nil), secret...), now: time.Now}
	for _, o := range opts {
		o(t)
	}
	// iat is not checked: tokens come only from our own instances, and a clock a second
	// ahead on one of them must not make its fresh tokens fail on another. nbf, which we
	// never set, is still honoured if present.
	t.parser = jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(tokenIssuer),
		jwt.WithAudience(tokenAudience),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(t.now),
		jwt.WithStrictDecoding(),
	)
	return t, nil
}

// claims is the payload of a token: the registered claims plus the actor's role.
type claims struct {
	Role judging.Role `json:"role"`
	jwt.RegisteredClaims
}

// Validate is called by the parser after the registered claims pass: a token must name a
// user and one of the roles (judging.Role.Valid).
func (c *claims) Validate() error {
	if c.Subject == "" {
		return errors.New("no sub claim")
	}
	if !c.Role.Valid() {
		return fmt.Errorf("invalid role %q", c.Role)
	}
	return nil
}

// Issue signs a token for the actor (claims: sub = a.ID, role, iss, aud, iat, exp = now+ttl).
// expires is exp as written in the token (whole seconds).
func (t *Tokens) Issue(a judging.Actor, ttl time.Duration) (token string, expires time.Time, err error) {
	if a.ID == "" || !a.Role.Valid() {
		return "", time.Time{}, fmt.Errorf("auth: issue a token: actor %q with role %q is not a user", a.ID, a.Role)
	}
	if ttl <= 0 {
		return "", time.Time{}, fmt.Errorf("auth: issue a token: ttl %v is not positive", ttl)
	}
	now := t.now()
	c := claims{
		Role: a.Role,
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    tokenIssuer,
			Audience:  jwt.ClaimStrings{tokenAudience},
			Subject:   a.ID,
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
		},
	}
	token, err = jwt.NewWithClaims(jwt.SigningMethodHS256, &c).SignedString(t.secret)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("auth: sign a token: %w", err)
	}
	return token, c.ExpiresAt.Time, nil
}

// Verify returns the actor a token stands for; any failure is judging.ErrUnauthorized (a
// copy whose message says what was wrong, the code unchanged). A token that passed before is
// not parsed again, but its exp (and nbf) are checked again on every call.
func (t *Tokens) Verify(token string) (judging.Actor, error) {
	key := sha256.Sum256([]byte(token))
	if v, ok := t.verified.get(key); ok {
		valid, expired := v.valid(t.now())
		switch {
		case valid:
			return v.actor, nil
		case expired:
			t.verified.forget(key)
			return judging.Actor{}, unauthorized(jwt.ErrTokenExpired)
		default:
			return judging.Actor{}, unauthorized(jwt.ErrTokenNotValidYet)
		}
	}
	var c claims
	_, err := t.parser.ParseWithClaims(token, &c, t.key)
	if err != nil {
		return judging.Actor{}, unauthorized(err)
	}
	a := judging.Actor{ID: c.Subject, Role: c.Role}
	v := verifiedToken{actor: a, expires: c.ExpiresAt.Time} // exp is required: the parser checked it is there
	if c.NotBefore != nil {
		v.notBefore = c.NotBefore.Time
	}
	t.verified.put(key, v)
	return a, nil
}

// key hands the parser the secret, but only for HMAC (WithValidMethods has already narrowed
// it to HS256; this is the second lock on the door).
func (t *Tokens) key(tok *jwt.Token) (any, error) {
	if _, ok := tok.Method.(*jwt.SigningMethodHMAC); !ok {
		return nil, fmt.Errorf("unexpected signing method %v", tok.Header["alg"])
	}
	return t.secret, nil
}

// unauthorized turns a parse failure into a 401 that says, in general terms, why.
func unauthorized(err error) *judging.Error {
	e := *judging.ErrUnauthorized
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		e.Message = "The token has expired."
	case errors.Is(err, jwt.ErrTokenNotValidYet):
		e.Message = "The token is not valid yet."
	default:
		e.Message = "The token is invalid."
	}
	return &e
}
