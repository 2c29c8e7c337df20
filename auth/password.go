package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Bounds on what a stored hash may ask of Verify and on what Hash will produce: RFC 9106
// asks for at least an 8-byte salt and a 4-byte tag; the memory cap keeps a corrupt record
// from making one login allocate gigabytes.
const (
	minSaltLen      = 8
	minKeyLen       = 4
	maxKeyLen       = 1024
	maxMemoryKiB    = 1 << 20 // 1 GiB
	maxTime         = 1 << 10
	argon2idVariant = "argon2id"
)

// Argon2id hashes passwords with argon2id (golang.org/x/crypto/argon2) into a PHC string
// "$argon2id$v=19$m=...,t=...,p=...$salt$hash" (base64 raw std).
type Argon2id struct {
	Time, MemoryKiB uint32
	Threads         uint8
	KeyLen          uint32
	SaltLen         uint32
}

// DefaultArgon2id returns OWASP's recommended parameters: m=19456 KiB, t=2, p=1, a 32-byte
// key and a 16-byte salt.
func DefaultArgon2id() Argon2id {
	return Argon2id{Time: 2, MemoryKiB: 19456, Threads: 1, KeyLen: 32, SaltLen: 16}
}

// check reports parameters argon2 would panic on or that Verify would refuse.
func (a Argon2id) check() error {
	switch {
	case a.Time < 1 || a.Time > maxTime:
		return fmt.Errorf("time %d is outside [1, %d]", a.Time, maxTime)
	case a.Threads < 1:
		return errors.New("threads must be at least 1")
	case a.MemoryKiB < 8*uint32(a.Threads) || a.MemoryKiB > maxMemoryKiB:
		return fmt.Errorf("memory %d KiB is outside [8×threads, %d]", a.MemoryKiB, maxMemoryKiB)
	case a.KeyLen < minKeyLen || a.KeyLen > maxKeyLen:
		return fmt.Errorf("key length %d is outside [%d, %d]", a.KeyLen, minKeyLen, maxKeyLen)
	case a.SaltLen < minSaltLen || a.SaltLen > maxKeyLen:
		return fmt.Errorf("salt length %d is outside [%d, %d]", a.SaltLen, minSaltLen, maxKeyLen)
	}
	return nil
}

// Hash returns the PHC string of password under a fresh random salt.
func (a Argon2id) Hash(password string) (string, error) {
	if err := a.check(); err != nil {
		return "", fmt.Errorf("auth: argon2id parameters: %w", err)
	}
	salt := make([]byte, a.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, a.Time, a.MemoryKiB, a.Threads, a.KeyLen)
	return fmt.Sprintf("$%s$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2idVariant, argon2.Version,
		a.MemoryKiB, a.Time, a.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// Verify reports whether password matches hash, in constant time; a malformed hash is false.
// It uses the parameters stored in the hash, so hashes made before a change of a still work.
func (a Argon2id) Verify(hash, password string) bool {
	p, salt, key, ok := parsePHC(hash)
	if !ok {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, p.KeyLen)
	return subtle.ConstantTimeCompare(got, key) == 1
}

// parsePHC reads "$argon2id$v=19$m=M,t=T,p=P$salt$key", refusing anything else, including
// parameters outside check's bounds.
func parsePHC(hash string) (p Argon2id, salt, key []byte, ok bool) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != argon2idVariant ||
		parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, false
	}
	params := strings.Split(parts[3], ",")
	if len(params) != 3 {
		return p, nil, nil, false
	}
	m, okM := phcParam(params[0], "m=", 32)
	t, okT := phcParam(params[1], "t=", 32)
	th, okP := phcParam(params[2], "p=", 8)
	if !okM || !okT || !okP {
		return p, nil, nil, false
	}
	salt, errS := base64.RawStdEncoding.Strict().DecodeString(parts[4])
	key, errK := base64.RawStdEncoding.Strict().DecodeString(parts[5])
	if errS != nil || errK != nil {
		return p, nil, nil, false
	}
	p = Argon2id{Time: uint32(t), MemoryKiB: uint32(m), Threads: uint8(th),
		KeyLen: uint32(len(key)), SaltLen: uint32(len(salt))}
	if p.check() != nil {
		return p, nil, nil, false
	}
	return p, salt, key, true
}

// phcParam reads one "name=decimal" parameter of at most bits bits.
func phcParam(s, prefix string, bits int) (uint64, bool) {
	digits, found := strings.CutPrefix(s, prefix)
	if !found || digits == "" || (len(digits) > 1 && digits[0] == '0') {
		return 0, false
	}
	n, err := strconv.ParseUint(digits, 10, bits)
	return n, err == nil
}
