package judging_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/awards-dev/awards/judging"
	"github.com/awards-dev/awards/judging/judgingtest"
)

// testIP is the client IP of the service tests' logins and registrations.
const testIP = "192.0.2.10"

// occupy takes the service's one hashing slot with a login held in its check, until the
// returned func lets it finish.
func occupy(tb testing.TB, h *judgingtest.Rig, p *judgingtest.ProbeHasher) (free func()) {
	tb.Helper()
	release := p.HoldAll()
	done := make(chan error, 1)
	go func() {
		_, err := h.Svc.Login(h.Ctx, "held@example.com", "not the password", "203.0.113.99")
		done <- err
	}()
	p.WaitInFlight(tb, 1)
	free = sync.OnceFunc(func() {
		release()
		if err := <-done; !errors.Is(err, judging.ErrBadCredentials) {
			tb.Errorf("the held login: %v, want invalid_credentials", err)
		}
	})
	tb.Cleanup(free)
	return free
}

// newProbedService is a bare rig whose hashing goes through a ProbeHasher, with at most bound
// hashes at once and a wait of wait for a slot.
func newProbedService(tb testing.TB, bound int, wait time.Duration) (*judgingtest.Rig, *judgingtest.ProbeHasher) {
	tb.Helper()
	h := judgingtest.NewBare(tb)
	p := &judgingtest.ProbeHasher{Hasher: judgingtest.CheapHasher}
	h.Svc = h.NewService(tb, func(d *judging.Deps) {
		d.Hasher, d.HashConcurrency, d.HashWait = p, bound, wait
	})
	return h, p
}

// wantRetry checks err is want and carries a wait in (0, most].
func wantRetry(tb testing.TB, err error, want *judging.Error, most time.Duration) {
	tb.Helper()
	judgingtest.WantErr(tb, err, want)
	var r *judging.RetryError
	if !errors.As(err, &r) {
		tb.Fatalf("err = %v carries no wait", err)
	}
	if r.After <= 0 || r.After > most {
		tb.Fatalf("wait = %v, want within (0, %v]", r.After, most)
	}
}

func TestService_Login_limits(t *testing.T) {
	const wrong = "not the password"
	setup := func(t *testing.T) (*judgingtest.Rig, *judgingtest.ProbeHasher, judging.User) {
		h, p := newProbedService(t, 0, 0)
		u := judgingtest.Must(h.Svc.Register(h.Ctx, judging.Registration{Email: "carol@example.com", Password: judgingtest.Password, Company: "Carol Co", Country: "FR"}, ""))(t)
		return h, p, u
	}

	t.Run("ErrRateLimited/parallel guesses check at most the limit", func(t *testing.T) {
		// An attempt is counted before its password is checked: of 100 parallel guesses from
		// one IP at most 10 are checked, and then the right password is refused.
		h, p, u := setup(t)
		var wg sync.WaitGroup
		var refused atomic.Int64
		for i := range 100 {
			wg.Go(func() {
				_, err := h.Svc.Login(h.Ctx, u.Email, fmt.Sprintf("guess number %d", i), testIP)
				switch {
				case errors.Is(err, judging.ErrRateLimited):
					refused.Add(1)
				case !errors.Is(err, judging.ErrBadCredentials):
					t.Errorf("guess %d: %v", i, err)
				}
			})
		}
		wg.Wait()
		if got := p.Checks.Load(); got > judging.LoginPairLimit {
			t.Fatalf("%d passwords checked, want at most %d", got, judging.LoginPairLimit)
		}
		if got, want := refused.Load(), int64(100-judging.LoginPairLimit); got != want {
			t.Fatalf("%d guesses refused, want %d", got, want)
		}
		_, err := h.Svc.Login(h.Ctx, u.Email, judgingtest.Password, testIP)
		wantRetry(t, err, judging.ErrRateLimited, judging.LoginWindow)
	})

	t.Run("ErrRateLimited/per email and IP", func(t *testing.T) {
		// 10 failures for one email from one IP → 429 for that pair only: the owner logs in
		// from another IP, and the attacker may still try other emails.
		h, _, u := setup(t)
		for range judging.LoginPairLimit {
			_, err := h.Svc.Login(h.Ctx, u.Email, wrong, "203.0.113.1")
			judgingtest.WantErr(t, err, judging.ErrBadCredentials)
		}
		_, err := h.Svc.Login(h.Ctx, u.Email, judgingtest.Password, "203.0.113.1")
		wantRetry(t, err, judging.ErrRateLimited, judging.LoginWindow)
		judgingtest.Must(h.Svc.Login(h.Ctx, u.Email, judgingtest.Password, "198.51.100.1"))(t)
		_, err = h.Svc.Login(h.Ctx, "other@example.com", wrong, "203.0.113.1")
		judgingtest.WantErr(t, err, judging.ErrBadCredentials)
	})

	t.Run("ErrRateLimited/per email over all IPs", func(t *testing.T) {
		// 100 failures for one email from all IPs → 429 for that email, from any IP.
		h, _, u := setup(t)
		for i := range judging.LoginEmailLimit {
			_, err := h.Svc.Login(h.Ctx, u.Email, wrong, fmt.Sprintf("10.1.%d.1", i/5))
			judgingtest.WantErr(t, err, judging.ErrBadCredentials)
		}
		_, err := h.Svc.Login(h.Ctx, u.Email, judgingtest.Password, "198.51.100.2")
		wantRetry(t, err, judging.ErrRateLimited, judging.LoginWindow)
	})

	t.Run("ErrRateLimited/per IP over all emails", func(t *testing.T) {
		// 100 failures from one IP over all emails, unknown ones too → 429 for that IP only.
		h, p, u := setup(t)
		for i := range judging.LoginIPLimit {
			_, err := h.Svc.Login(h.Ctx, fmt.Sprintf("nobody%d@example.com", i), judgingtest.Password, "203.0.113.2")
			judgingtest.WantErr(t, err, judging.ErrBadCredentials)
		}
		if got, want := p.Checks.Load(), int64(judging.LoginIPLimit); got != want {
			t.Fatalf("%d dummy checks for unknown emails, want %d: the same work as a real one", got, want)
		}
		_, err := h.Svc.Login(h.Ctx, u.Email, judgingtest.Password, "203.0.113.2")
		wantRetry(t, err, judging.ErrRateLimited, judging.LoginWindow)
		judgingtest.Must(h.Svc.Login(h.Ctx, u.Email, judgingtest.Password, "203.0.113.3"))(t)
	})

	t.Run("ErrRateLimited/an IPv6 /64 is one client", func(t *testing.T) {
		// One subscriber holds a whole IPv6 /64: its addresses count as one client IP.
		h, _, u := setup(t)
		for i := range judging.LoginPairLimit {
			_, err := h.Svc.Login(h.Ctx, u.Email, wrong, fmt.Sprintf("2001:db8:1:2::%x", i+1))
			judgingtest.WantErr(t, err, judging.ErrBadCredentials)
		}
		_, err := h.Svc.Login(h.Ctx, u.Email, judgingtest.Password, "2001:db8:1:2:ffff::1")
		wantRetry(t, err, judging.ErrRateLimited, judging.LoginWindow)
		judgingtest.Must(h.Svc.Login(h.Ctx, u.Email, judgingtest.Password, "2001:db8:1:3::1"))(t)
	})

	t.Run("OK successes never count", func(t *testing.T) {
		// Rate limits count failures, not successes: 150 logins of several users from one IP.
		h, _, u := setup(t)
		v := judgingtest.Must(h.Svc.Register(h.Ctx, judging.Registration{Email: "vic@example.com", Password: judgingtest.Password, Company: "Vic Co", Country: "FR"}, ""))(t)
		for i := range 150 {
			judgingtest.Must(h.Svc.Login(h.Ctx, []string{u.Email, v.Email}[i%2], judgingtest.Password, testIP))(t)
		}
		// Nor do they undo failures: 9 failures, successes, then the 10th failure limits.
		for range judging.LoginPairLimit - 1 {
			_, err := h.Svc.Login(h.Ctx, u.Email, wrong, testIP)
			judgingtest.WantErr(t, err, judging.ErrBadCredentials)
		}
		judgingtest.Must(h.Svc.Login(h.Ctx, u.Email, judgingtest.Password, testIP))(t)
		_, err := h.Svc.Login(h.Ctx, u.Email, wrong, testIP)
		judgingtest.WantErr(t, err, judging.ErrBadCredentials)
		_, err = h.Svc.Login(h.Ctx, u.Email, judgingtest.Password, testIP)
		wantRetry(t, err, judging.ErrRateLimited, judging.LoginWindow)
	})

	t.Run("ErrBadCredentials/a short password costs no hash but counts", func(t *testing.T) {
		// No account has a password under 10 characters: it is refused unchecked, and counted.
		h, p, u := setup(t)
		before := p.Checks.Load()
		for range judging.LoginPairLimit {
			_, err := h.Svc.Login(h.Ctx, u.Email, "short", testIP)
			judgingtest.WantErr(t, err, judging.ErrBadCredentials)
		}
		if got := p.Checks.Load() - before; got != 0 {
			t.Fatalf("%d checks for short passwords, want 0", got)
		}
		_, err := h.Svc.Login(h.Ctx, u.Email, judgingtest.Password, testIP)
		wantRetry(t, err, judging.ErrRateLimited, judging.LoginWindow)
	})

	t.Run("ErrInvalid/oversized fields touch nothing", func(t *testing.T) {
		// email ≤ 254 characters, password ≤ 1,024 bytes: longer → 422 before the store.
		h, p, u := setup(t)
		before, checks := h.Keys(), p.Checks.Load()
		_, err := h.Svc.Login(h.Ctx, strings.Repeat("a", 1<<20)+"@example.com", judgingtest.Password, testIP)
		judgingtest.WantInvalid(t, err, "too_long")
		_, err = h.Svc.Login(h.Ctx, u.Email, strings.Repeat("p", 2000), testIP)
		judgingtest.WantInvalid(t, err, "invalid_password")
		if after := h.Keys(); !slices.Equal(before, after) {
			t.Fatalf("keys went from %q to %q", before, after)
		}
		if p.Checks.Load() != checks {
			t.Fatalf("an oversized login had its password checked")
		}
	})

	t.Run("ErrBusy is not counted", func(t *testing.T) {
		// A login refused because hashing is busy is our failure, not the client's: it is
		// given back, so 10 real failures are still needed to limit the pair.
		h, p := newProbedService(t, 1, time.Millisecond)
		free := occupy(t, h, p)
		for range 3 {
			_, err := h.Svc.Login(h.Ctx, "dan@example.com", wrong, testIP)
			wantRetry(t, err, judging.ErrBusy, 10*time.Second)
		}
		free()
		for range judging.LoginPairLimit {
			_, err := h.Svc.Login(h.Ctx, "dan@example.com", wrong, testIP)
			judgingtest.WantErr(t, err, judging.ErrBadCredentials)
		}
		_, err := h.Svc.Login(h.Ctx, "dan@example.com", wrong, testIP)
		wantRetry(t, err, judging.ErrRateLimited, judging.LoginWindow)
	})
}

func TestService_Register_limits(t *testing.T) {
	reg := func(email string) judging.Registration {
		return judging.Registration{Email: email, Password: judgingtest.Password, Company: "Co " + email, Country: "FR"}
	}

	t.Run("ErrRateLimited/the 21st from one IP in an hour", func(t *testing.T) {
		// At most 20 registrations per IP per hour; other IPs and callers inside the process
		// are not affected.
		h := judgingtest.NewBare(t)
		for i := range judging.RegisterIPLimit {
			judgingtest.Must(h.Svc.Register(h.Ctx, reg(fmt.Sprintf("ex%d@example.com", i)), testIP))(t)
		}
		_, err := h.Svc.Register(h.Ctx, reg("late@example.com"), testIP)
		wantRetry(t, err, judging.ErrRateLimited, judging.RegisterWindow)
		judgingtest.Must(h.Svc.Register(h.Ctx, reg("late@example.com"), "198.51.100.7"))(t)
		for i := range judging.RegisterIPLimit + 5 {
			judgingtest.Must(h.Svc.Register(h.Ctx, reg(fmt.Sprintf("demo%d@example.com", i)), ""))(t)
		}
	})

	t.Run("ErrEmailTaken is not counted and costs no hashing", func(t *testing.T) {
		// A registration is an account created: a duplicate email (or a look-alike of one) is a
		// 409 found before any password hashing, so retrying one neither burns argon2 nor uses
		// up the IP's 20 registrations.
		h, p := newProbedService(t, 2, time.Minute)
		judgingtest.Must(h.Svc.Register(h.Ctx, reg("first@example.com"), testIP))(t)
		hashes := p.Hashes.Load()
		for _, email := range []string{"first@example.com", "FIRST@example.com", "first@example.com\u200b", "f\u0456rst@example.com"} {
			for range judging.RegisterIPLimit {
				_, err := h.Svc.Register(h.Ctx, reg(email), testIP)
				judgingtest.WantErr(t, err, judging.ErrEmailTaken)
			}
		}
		if got := p.Hashes.Load() - hashes; got != 0 {
			t.Fatalf("%d password hashes for duplicate registrations, want 0", got)
		}
		for i := range judging.RegisterIPLimit - 1 {
			judgingtest.Must(h.Svc.Register(h.Ctx, reg(fmt.Sprintf("ex%d@example.com", i)), testIP))(t)
		}
		_, err := h.Svc.Register(h.Ctx, reg("late@example.com"), testIP)
		wantRetry(t, err, judging.ErrRateLimited, judging.RegisterWindow)
	})

	t.Run("ErrInvalid is not counted", func(t *testing.T) {
		// A registration refused by validation costs nothing and is not counted.
		h := judgingtest.NewBare(t)
		bad := reg("bad@example.com")
		bad.Password = "short"
		for range judging.RegisterIPLimit + 1 {
			_, err := h.Svc.Register(h.Ctx, bad, testIP)
			judgingtest.WantInvalid(t, err, "weak_password")
		}
		judgingtest.Must(h.Svc.Register(h.Ctx, reg("good@example.com"), testIP))(t)
	})

	t.Run("ErrBusy is not counted", func(t *testing.T) {
		// A registration refused because hashing is busy is given back.
		h, p := newProbedService(t, 1, time.Millisecond)
		free := occupy(t, h, p)
		for i := range judging.RegisterIPLimit {
			_, err := h.Svc.Register(h.Ctx, reg(fmt.Sprintf("busy%d@example.com", i)), testIP)
			wantRetry(t, err, judging.ErrBusy, 10*time.Second)
		}
		free()
		for i := range judging.RegisterIPLimit {
			judgingtest.Must(h.Svc.Register(h.Ctx, reg(fmt.Sprintf("busy%d@example.com", i)), testIP))(t)
		}
	})
}

func TestService_hashing(t *testing.T) {
	t.Run("OK never more than the bound at once", func(t *testing.T) {
		// Password hashing is bounded: 12 parallel logins with a bound of 2 hash 2 at a time,
		// and each is served once a slot frees within its wait.
		const bound, logins = 2, 12
		h, p := newProbedService(t, bound, time.Minute)
		release := p.HoldAll()
		defer release()
		var wg sync.WaitGroup
		for i := range logins {
			wg.Go(func() {
				_, err := h.Svc.Login(h.Ctx, fmt.Sprintf("nobody%d@example.com", i), judgingtest.Password, testIP)
				if !errors.Is(err, judging.ErrBadCredentials) {
					t.Errorf("login %d: %v, want invalid_credentials", i, err)
				}
			})
		}
		p.WaitInFlight(t, bound)
		release()
		wg.Wait()
		if got := p.MaxInFlight(); got != bound {
			t.Fatalf("%d hashes ran at once, want %d", got, bound)
		}
		if got := p.Checks.Load(); got != logins {
			t.Fatalf("%d checks, want %d", got, logins)
		}
	})

	t.Run("ErrBusy/every hash goes through the gate", func(t *testing.T) {
		// With the one slot taken, login, registration, an invitation and the admin at start
		// are all told to come back, with a wait.
		h, p := newProbedService(t, 1, time.Millisecond)
		judgingtest.Must(h.Svc.EnsureAdmin(h.Ctx, judgingtest.AdminEmail, judgingtest.AdminPassword))(t)
		h.Admin = judging.Actor{ID: judgingtest.Must(h.Svc.Login(h.Ctx, judgingtest.AdminEmail, judgingtest.AdminPassword, ""))(t).ID, Role: judging.RoleAdmin}
		judgingtest.Must(h.Svc.PutProgramme(h.Ctx, h.Admin, judgingtest.Programme()))(t)
		_, invite := judgingtest.Must2(h.Svc.CreateJudge(h.Ctx, h.Admin, judging.JudgeInput{Name: "Jo", Email: "jo@jury.test", Categories: []string{judgingtest.CatCyber}}))(t)
		occupy(t, h, p)
		wantRetry(t, within(t, func() error {
			_, err := h.Svc.Login(h.Ctx, judgingtest.AdminEmail, judgingtest.AdminPassword, testIP)
			return err
		}), judging.ErrBusy, 10*time.Second)
		wantRetry(t, within(t, func() error {
			_, err := h.Svc.Register(h.Ctx, judging.Registration{Email: "x@example.com", Password: judgingtest.Password, Company: "X", Country: "FR"}, testIP)
			return err
		}), judging.ErrBusy, 10*time.Second)
		wantRetry(t, within(t, func() error {
			_, err := h.Svc.AcceptInvite(h.Ctx, invite, judgingtest.Password)
			return err
		}), judging.ErrBusy, 10*time.Second)

		fresh, fp := newProbedService(t, 1, time.Millisecond)
		occupy(t, fresh, fp)
		wantRetry(t, within(t, func() error {
			_, err := fresh.Svc.EnsureAdmin(fresh.Ctx, judgingtest.AdminEmail, judgingtest.AdminPassword)
			return err
		}), judging.ErrBusy, 10*time.Second)
	})
}

// within runs f and returns its error, failing tb if f has not returned after 30 s (a hash
// that skipped the gate waits for the held one).
func within(tb testing.TB, f func() error) error {
	tb.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(30 * time.Second):
		tb.Fatalf("no answer after 30 s: the call is not bounded by the gate")
		return nil
	}
}
