package judging

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"time"
)

// Hasher hashes and checks passwords (auth.Argon2id in production).
type Hasher interface {
	Hash(password string) (string, error)
	Verify(hash, password string) bool
}

// Pinger reports whether the store answers, for the readiness probe.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Ports are the stores the use cases need, one per noun; redisstore.Store fills them all.
// Every method that writes several things does so atomically; methods that check a state
// and write (submit, score, reveal) check inside the same atomic step, so concurrent calls
// never lose or double-count.
type Ports struct {
	Users       Users
	Secrets     Secrets
	Invitations Invitations
	Limiter     Limiter
	Programmes  Programmes
	Entries     Entries
	Assignments Assignments
	Scores      Scores
	Audit       AuditTrail
	Ceremony    Ceremony
	Health      Pinger
}

// check names the first port left unset.
func (p Ports) check() error {
	for _, port := range []struct {
		name string
		set  bool
	}{
		{"Users", p.Users != nil}, {"Secrets", p.Secrets != nil}, {"Invitations", p.Invitations != nil},
		{"Limiter", p.Limiter != nil}, {"Programmes", p.Programmes != nil}, {"Entries", p.Entries != nil},
		{"Assignments", p.Assignments != nil}, {"Scores", p.Scores != nil}, {"Audit", p.Audit != nil},
		{"Ceremony", p.Ceremony != nil}, {"Health", p.Health != nil},
	} {
		if !port.set {
			return fmt.Errorf("judging: Deps.Ports.%s is not set", port.name)
		}
	}
	return nil
}

// Deps is what a Service is built from.
type Deps struct {
	Ports
	Publisher Publisher // nil: events are dropped
	Clock     Clock     // nil: the system clock
	Hasher    Hasher
	Logger    *slog.Logger  // nil: slog.Default()
	InviteTTL time.Duration // how long a judge's invitation lasts; 0: InviteTTL (14 days)

	HashConcurrency int           // password hashes run at once; 0: runtime.GOMAXPROCS(0)
	HashWait        time.Duration // how long a request waits to hash before ErrBusy; 0: DefaultHashWait
}

// Service holds the use cases of an awards programme. Roles are checked on the routes;
// the Service checks ownership, deadlines and rules, and re-checks the role of the few calls
// that would leak sealed results. Each use case reaches only the ports it needs.
type Service struct {
	users       Users
	secrets     Secrets
	invites     Invitations
	limits      Limiter
	programmes  Programmes
	entries     Entries
	assignments Assignments
	scores      Scores
	audit       AuditTrail
	ceremony    Ceremony
	health      Pinger

	pub           Publisher
	scoresPublish bool       // the Scores port is the Publisher: a score's events go out with its write
	hints         scoreHints // the score path's programme and entry categories
	clock         Clock
	hash          Hasher
	gate          hashGate
	log           *slog.Logger
	inviteTTL     time.Duration // how long a judge's invitation lasts
	dummy         string        // a real hash of a random password: unknown emails cost the same as known ones
}

// NewService wires a Service; every port must be set. It hashes one random password, so that
// logins for unknown emails do the same work as real ones.
func NewService(d Deps) (*Service, error) {
	if err := d.Ports.check(); err != nil {
		return nil, err
	}
	s := &Service{
		users: d.Users, secrets: d.Secrets, invites: d.Invitations, limits: d.Limiter,
		programmes: d.Programmes, entries: d.Entries, assignments: d.Assignments, scores: d.Scores,
		audit: d.Audit, ceremony: d.Ceremony, health: d.Health,
		pub: d.Publisher, clock: d.Clock, hash: d.Hasher, log: d.Logger, inviteTTL: d.InviteTTL,
	}
	if s.inviteTTL <= 0 {
		s.inviteTTL = InviteTTL
	}
	if s.clock == nil {
		s.clock = SystemClock{}
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.pub == nil {
		s.pub = PublisherFunc(func(context.Context, Event) error { return nil })
	}
	if p, ok := d.Scores.(Publisher); ok && p == s.pub {
		s.scoresPublish = true
	}
	n, wait := d.HashConcurrency, d.HashWait
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	if wait <= 0 {
		wait = DefaultHashWait
	}
	s.gate = newHashGate(n, wait)
	dummy, err := s.hash.Hash(newToken())
	if err != nil {
		return nil, err
	}
	s.dummy = dummy
	return s, nil
}

// Ping reports whether the store answers.
func (s *Service) Ping(ctx context.Context) error { return s.health.Ping(ctx) }

// publish announces a stored change; a failure is logged, never returned: the change is
// stored, and the feed catches up from the next event or a reconnect's snapshot.
func (s *Service) publish(ctx context.Context, events ...Event) {
	for _, e := range events {
		if err := s.pub.Publish(context.WithoutCancel(ctx), e); err != nil {
			s.log.Warn("publish event", "type", e.Type, "category", e.CategoryID, "err", err)
		}
	}
}

// retryStale runs f again while the store reports that the programme moved under it.
func retryStale[T any](f func() (T, error)) (T, error) {
	var (
		v   T
		err error
	)
	for range 8 {
		v, err = f()
		if !errors.Is(err, ErrStale) {
			return v, err
		}
	}
	return v, err
}

// maxIDLen bounds an id taken from a path: a longer one names nothing.
const maxIDLen = 100

var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// newID returns an opaque random id with a readable prefix ("e_…" for an entry).
func newID(prefix string) string {
	b := make([]byte, 10)
	rand.Read(b)
	return prefix + "_" + idEncoding.EncodeToString(b)
}

// newToken returns 32 random bytes, base32: an invitation or a throwaway password.
func newToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return idEncoding.EncodeToString(b)
}

func requireRole(a Actor, roles ...Role) error {
	if a.Public() {
		return ErrUnauthorized
	}
	for _, r := range roles {
		if a.Role == r {
			return nil
		}
	}
	return ErrForbidden
}
