package auth

import (
	"crypto/sha256"
	"sync"
	"time"

	"github.com/awards-dev/awards/judging"
)

// maxVerified bounds the verified tokens remembered: more than the tokens in use at a show
// (judges, exhibitors, screens, admins); past it, an arbitrary one is forgotten for each new
// one.
const maxVerified = 4096

// verified remembers the tokens that passed Verify, by their SHA-256, so that a token sent
// again skips its signature check and its parsing. Only successes are kept, and a hit still
// checks the token's time window (exp, and nbf if it had one) against the clock, so the answer
// is Verify's. The account behind the token is never remembered: that is Users' to confirm on
// every request.
type verified struct {
	mu     sync.RWMutex
	tokens map[[sha256.Size]byte]verifiedToken
}

// verifiedToken is what Verify found in a token: its actor and its time window.
type verifiedToken struct {
	actor     judging.Actor
	expires   time.Time // exp
	notBefore time.Time // nbf; zero if none
}

// valid reports whether the token's window holds at now, as the parser would check it.
func (v verifiedToken) valid(now time.Time) (ok bool, expired bool) {
	switch {
	case !now.Before(v.expires):
		return false, true
	case now.Before(v.notBefore):
		return false, false
	}
	return true, false
}

// get returns what Verify found in the token, if it passed before.
func (c *verified) get(key [sha256.Size]byte) (verifiedToken, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.tokens[key]
	return v, ok
}

// put remembers a token that passed Verify.
func (c *verified) put(key [sha256.Size]byte, v verifiedToken) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tokens == nil {
		c.tokens = make(map[[sha256.Size]byte]verifiedToken)
	}
	if _, ok := c.tokens[key]; !ok && len(c.tokens) >= maxVerified {
		for k := range c.tokens {
			delete(c.tokens, k)
			break
		}
	}
	c.tokens[key] = v
}

// forget drops a token whose window has passed.
func (c *verified) forget(key [sha256.Size]byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.tokens, key)
}

// len is how many tokens are remembered.
func (c *verified) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.tokens)
}
