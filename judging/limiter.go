package judging

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/netip"
	"time"
)

// Limiter keeps the rate-limit counters where every instance sees them, so that a limit holds
// across instances.
type Limiter interface {
	// ReserveAttempt counts one attempt on every limit, atomically: if any is already at its
	// Max it counts nothing and returns how long until the last full one's window ends (> 0).
	ReserveAttempt(ctx context.Context, limits []Limit) (retryAfter time.Duration, err error)
	// ReleaseAttempt gives back an attempt ReserveAttempt counted; it never takes a counter
	// below zero nor creates one.
	ReleaseAttempt(ctx context.Context, limits []Limit) error
}

// Limit is one counter: at most Max attempts in a Window that starts at the first attempt and
// is never extended.
type Limit struct {
	Key    string // made of hashes, never of raw input
	Max    int64
	Window time.Duration
}

// The rate limits. Logins count failures: an attempt is counted before its password is
// checked and given back when it succeeds.
const (
	LoginPairLimit  = 10  // failed logins for one email from one client IP
	LoginEmailLimit = 100 // failed logins for one email from all IPs
	LoginIPLimit    = 100 // failed logins from one client IP over all emails
	LoginWindow     = 15 * time.Minute

	RegisterIPLimit = 20 // accounts created from one client IP
	RegisterWindow  = time.Hour
)

// loginLimits are the counters a login for email from clientIP reserves; an empty clientIP
// (a caller inside the process) counts only against the email.
func loginLimits(email, clientIP string) []Limit {
	e := EmailKey(email)
	limits := []Limit{{Key: "login:email:" + digest(e), Max: LoginEmailLimit, Window: LoginWindow}}
	if clientIP == "" {
		return limits
	}
	ip := clientKey(clientIP)
	return append(limits,
		Limit{Key: "login:pair:" + digest(e, ip), Max: LoginPairLimit, Window: LoginWindow},
		Limit{Key: "login:ip:" + digest(ip), Max: LoginIPLimit, Window: LoginWindow},
	)
}

// registerLimits are the counters a registration from clientIP reserves; none for an empty
// clientIP (a caller inside the process, such as the demo loader).
func registerLimits(clientIP string) []Limit {
	if clientIP == "" {
		return nil
	}
	return []Limit{{Key: "register:ip:" + digest(clientKey(clientIP)), Max: RegisterIPLimit, Window: RegisterWindow}}
}

// clientKey is who per-IP limits count: an IPv4 address, or the /64 network of an IPv6 one
// (one subscriber is given a whole /64). Anything else counts as itself.
func clientKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap().WithZone("")
	if a.Is4() {
		return a.String()
	}
	p, err := a.Prefix(64)
	if err != nil {
		return a.String()
	}
	return p.String()
}

// digest names a counter by a hash of its parts: bounded, and no raw input in key names.
func digest(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// reserve reserves limits, or returns ErrRateLimited with how long to wait.
func (s *Service) reserve(ctx context.Context, limits []Limit) error {
	if len(limits) == 0 {
		return nil
	}
	wait, err := s.limits.ReserveAttempt(ctx, limits)
	if err != nil {
		return err
	}
	if wait > 0 {
		return RetryAfter(ErrRateLimited, wait)
	}
	return nil
}

// release gives back what reserve counted; a failure is logged, not returned: the request
// it belongs to is answered already, and the counter ends with its window.
func (s *Service) release(ctx context.Context, limits []Limit) {
	if len(limits) == 0 {
		return
	}
	if err := s.limits.ReleaseAttempt(context.WithoutCancel(ctx), limits); err != nil {
		s.log.Warn("release rate-limit counters", "err", err)
	}
}
