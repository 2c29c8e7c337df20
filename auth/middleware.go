package auth

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/awards-dev/awards/judging"
)

// Users confirms that a token's subject is still a user holding that role (a deleted user or
// a changed role → 401).
type Users interface {
	// CheckActor returns judging.ErrUnauthorized when a is no longer a user with that role;
	// any other error (the store does not answer) is passed on as it is.
	CheckActor(ctx context.Context, a judging.Actor) error
}

// Middleware authenticates requests and enforces roles; fail writes the error response (the
// web package's one error writer), so the error body shape lives in one place.
type Middleware struct {
	tokens *Tokens
	users  Users
	fail   func(c *gin.Context, err error)
}

// NewMiddleware returns the middleware for tokens t, checked against users, reporting
// failures through fail.
func NewMiddleware(t *Tokens, users Users, fail func(c *gin.Context, err error)) *Middleware {
	return &Middleware{tokens: t, users: users, fail: fail}
}

// actorKey is the Gin context key under which Authenticate stores the actor.
type actorKey struct{}

// Authenticate reads "Authorization: Bearer <JWT>". No token → the public actor and the
// request goes on; a bad token, or one whose user CheckActor rejects → fail and abort. It never
// reads ?token= (see AuthenticateLive), so a token in a URL is not a credential anywhere else.
func (m *Middleware) Authenticate() gin.HandlerFunc { return m.authenticate(false, true) }

// AuthenticateClaimed is Authenticate without the account check, for a route whose use case
// confirms the account itself in the same atomic step as its write (the score write does, in
// its script): the token is verified, and the actor it claims is given to Require and to
// ClaimedActorFrom only. ActorFrom sees the public there, so a handler that forgets the
// difference is refused (401), never served an unconfirmed account.
func (m *Middleware) AuthenticateClaimed() gin.HandlerFunc { return m.authenticate(false, false) }

// AuthenticateLive is Authenticate for the live feed's route: on a websocket upgrade without
// an Authorization header it also accepts ?token=, since browsers cannot set headers on a
// websocket.
func (m *Middleware) AuthenticateLive() gin.HandlerFunc { return m.authenticate(true, true) }

// authenticate reads the token (from ?token= too with query) and, with confirm, checks that
// its user still holds its role.
func (m *Middleware) authenticate(query, confirm bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		token, err := bearer(c, query)
		if err != nil {
			m.abort(c, err)
			return
		}
		if token == "" {
			c.Set(actorKey{}, caller{confirmed: true})
			c.Next()
			return
		}
		a, err := m.tokens.Verify(token)
		if err != nil {
			m.abort(c, err)
			return
		}
		if confirm {
			if err := m.users.CheckActor(c.Request.Context(), a); err != nil {
				m.abort(c, err)
				return
			}
		}
		c.Set(actorKey{}, caller{Actor: a, confirmed: confirm})
		c.Next()
	}
}

// bearer returns the request's token, "" if it has none, or a 401 if the Authorization
// header is there but is not "Bearer <token>". With query, a websocket upgrade without the
// header may carry it as ?token=.
func bearer(c *gin.Context, query bool) (string, error) {
	if h := c.GetHeader("Authorization"); h != "" {
		scheme, token, _ := strings.Cut(h, " ")
		token = strings.TrimSpace(token)
		if !strings.EqualFold(scheme, "Bearer") || token == "" || strings.ContainsAny(token, " \t") {
			e := *judging.ErrUnauthorized
			e.Message = `The Authorization header must be "Bearer <token>".`
			return "", &e
		}
		return token, nil
	}
	if query && c.IsWebsocket() {
		return c.Query("token"), nil
	}
	return "", nil
}

// Require admits only the listed roles: the public → fail(ErrUnauthorized) (401), a wrong
// role → fail(ErrForbidden) (403). It panics when given no role or one that is not a
// judging.Role, a mistake in the route table.
func (m *Middleware) Require(roles ...judging.Role) gin.HandlerFunc {
	if len(roles) == 0 {
		panic("auth: Require needs at least one role")
	}
	for _, r := range roles {
		if !r.Valid() {
			panic(fmt.Sprintf("auth: Require(%q): not a role", r))
		}
	}
	roles = slices.Clone(roles)
	return func(c *gin.Context) {
		v, _ := c.Get(actorKey{})
		cl, _ := v.(caller)
		switch {
		case cl.Public():
			m.abort(c, judging.ErrUnauthorized)
		case !slices.Contains(roles, cl.Role):
			// A gone account is a 401 before a wrong role is a 403, confirmed or not yet.
			if !cl.confirmed {
				if err := m.users.CheckActor(c.Request.Context(), cl.Actor); err != nil {
					m.abort(c, err)
					return
				}
			}
			m.abort(c, judging.ErrForbidden)
		default:
			c.Next()
		}
	}
}

// abort reports err through fail and stops the handler chain.
func (m *Middleware) abort(c *gin.Context, err error) {
	m.fail(c, err)
	c.Abort()
}

// caller is what the authentication stored: the actor the token stands for, and whether its
// account was confirmed.
type caller struct {
	judging.Actor
	confirmed bool
}

// ActorFrom returns the actor Authenticate stored in the context: the zero actor (the public)
// if none, or if its account was not confirmed (AuthenticateClaimed).
func ActorFrom(c *gin.Context) judging.Actor {
	v, _ := c.Get(actorKey{})
	if cl, _ := v.(caller); cl.confirmed {
		return cl.Actor
	}
	return judging.Actor{}
}

// ClaimedActorFrom returns the actor the request's verified token claims, its account
// confirmed or not: only for a use case that confirms the account itself.
func ClaimedActorFrom(c *gin.Context) judging.Actor {
	v, _ := c.Get(actorKey{})
	cl, _ := v.(caller)
	return cl.Actor
}
