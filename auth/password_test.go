package auth

import (
	"strings"
	"testing"
)

// cheap is Argon2id parameters fast enough for tests.
var cheap = Argon2id{Time: 1, MemoryKiB: 64, Threads: 1, KeyLen: 32, SaltLen: 16}

// hash hashes password with a or fails the test.
func hash(tb testing.TB, a Argon2id, password string) string {
	tb.Helper()
	h, err := a.Hash(password)
	if err != nil {
		tb.Fatalf("Hash: %v", err)
	}
	return h
}

func TestArgon2id_Hash(t *testing.T) {
	t.Run("OK PHC string", func(t *testing.T) {
		// Passwords are stored as argon2id PHC strings that carry their own parameters.
		h := hash(t, cheap, "correct horse")
		if got, want := h, "$argon2id$v=19$m=64,t=1,p=1$"; !strings.HasPrefix(got, want) {
			t.Fatalf("Hash = %q, want prefix %q", got, want)
		}
		p, salt, key, ok := parsePHC(h)
		if !ok {
			t.Fatalf("parsePHC(%q) failed", h)
		}
		if p != cheap || len(salt) != 16 || len(key) != 32 {
			t.Fatalf("parsed %+v, salt %d bytes, key %d bytes", p, len(salt), len(key))
		}
	})
	t.Run("OK salted", func(t *testing.T) {
		// Two hashes of one password differ: each has its own random salt.
		if a, b := hash(t, cheap, "correct horse"), hash(t, cheap, "correct horse"); a == b {
			t.Fatalf("two hashes of one password are equal: %q", a)
		}
	})
	t.Run("ErrParameters", func(t *testing.T) {
		// Unusable parameters are an error, never a panic inside argon2.
		for name, a := range map[string]Argon2id{
			"zero":        {},
			"no time":     {Time: 0, MemoryKiB: 64, Threads: 1, KeyLen: 32, SaltLen: 16},
			"no threads":  {Time: 1, MemoryKiB: 64, Threads: 0, KeyLen: 32, SaltLen: 16},
			"short salt":  {Time: 1, MemoryKiB: 64, Threads: 1, KeyLen: 32, SaltLen: 4},
			"short key":   {Time: 1, MemoryKiB: 64, Threads: 1, KeyLen: 2, SaltLen: 16},
			"tiny memory": {Time: 1, MemoryKiB: 4, Threads: 1, KeyLen: 32, SaltLen: 16},
		} {
			if h, err := a.Hash("pw"); err == nil {
				t.Errorf("%s: Hash = %q, want an error", name, h)
			}
		}
	})
}

func TestArgon2id_Verify(t *testing.T) {
	const password = "correct horse battery"
	good := hash(t, cheap, password)
	parts := strings.Split(good, "$") // "", argon2id, v=19, m=64,t=1,p=1, salt, key
	with := func(i int, v string) string {
		p := append([]string(nil), parts...)
		p[i] = v
		return strings.Join(p, "$")
	}

	t.Run("OK", func(t *testing.T) {
		// POST /auth/login {email, password} → 200 with the right password.
		if !cheap.Verify(good, password) {
			t.Fatal("Verify(right password) = false")
		}
	})
	t.Run("OK parameters from the hash", func(t *testing.T) {
		// A hash made with other parameters still verifies: they are read from the hash.
		if !DefaultArgon2id().Verify(good, password) {
			t.Fatal("Verify with other receiver parameters = false")
		}
	})
	t.Run("ErrWrongPassword", func(t *testing.T) {
		// Wrong credentials → 401.
		for _, pw := range []string{"", "correct horse battery ", "Correct horse battery", "correct horse"} {
			if cheap.Verify(good, pw) {
				t.Errorf("Verify(%q) = true", pw)
			}
		}
	})
	t.Run("ErrMalformed", func(t *testing.T) {
		// Wrong credentials → 401: a malformed stored hash matches no password.
		for name, h := range map[string]string{
			"empty":              "",
			"plain text":         password,
			"bcrypt":             "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
			"argon2i":            with(1, "argon2i"),
			"version 16":         with(2, "v=16"),
			"no version":         strings.Join(append(parts[:2:2], parts[3:]...), "$"),
			"params reordered":   with(3, "t=1,m=64,p=1"),
			"params missing":     with(3, "m=64,t=1"),
			"params extra":       with(3, "m=64,t=1,p=1,k=1"),
			"param leading zero": with(3, "m=064,t=1,p=1"),
			"param sign":         with(3, "m=+64,t=1,p=1"),
			"param not a number": with(3, "m=x,t=1,p=1"),
			"time zero":          with(3, "m=64,t=0,p=1"),
			"threads zero":       with(3, "m=64,t=1,p=0"),
			"threads overflow":   with(3, "m=64,t=1,p=256"),
			"memory too small":   with(3, "m=4,t=1,p=1"),
			"memory too large":   with(3, "m=4294967295,t=1,p=1"),
			"time too large":     with(3, "m=64,t=4294967295,p=1"),
			"salt not base64":    with(4, "!!!!"),
			"salt padded":        with(4, parts[4]+"=="),
			"salt too short":     with(4, "AAAA"),
			"key empty":          with(5, ""),
			"key not base64":     with(5, "####"),
			"key truncated":      with(5, parts[5][:len(parts[5])-4]),
			"trailing dollar":    good + "$",
			"leading text":       "x" + good,
			"whitespace":         good + " ",
		} {
			if cheap.Verify(h, password) {
				t.Errorf("%s: Verify(%q) = true", name, h)
			}
		}
	})
}

func TestDefaultArgon2id(t *testing.T) {
	// OWASP's argon2id: m=19456 KiB, t=2, p=1, 32-byte key, 16-byte salt.
	a := DefaultArgon2id()
	h := hash(t, a, "correct horse battery")
	if got, want := h, "$argon2id$v=19$m=19456,t=2,p=1$"; !strings.HasPrefix(got, want) {
		t.Fatalf("Hash = %q, want prefix %q", got, want)
	}
	if !a.Verify(h, "correct horse battery") {
		t.Fatal("Verify(right password) = false")
	}
	if a.Verify(h, "wrong horse battery") {
		t.Fatal("Verify(wrong password) = true")
	}
}

func BenchmarkArgon2id_Verify(b *testing.B) {
	a := DefaultArgon2id()
	h := hash(b, a, "correct horse battery")
	b.ReportAllocs()
	for b.Loop() {
		if !a.Verify(h, "correct horse battery") {
			b.Fatal("Verify = false")
		}
	}
}
