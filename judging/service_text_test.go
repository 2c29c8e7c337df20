package judging_test

import (
	"math"
	"strings"
	"testing"

	"github.com/awards-dev/awards/judging"
)

func TestService_SubmitScore_nonFiniteTotal(t *testing.T) {
	// A programme stored before the programme rules (min -1.7e308, max 1.7e308) cannot make
	// the store keep a non-finite total: 422 before the store is called.
	h := newService(t)
	p, rev := must2(h.store.Programme(h.ctx))(t)
	p.Categories[0].Criteria[0].Min, p.Categories[0].Criteria[0].Max = -1.7e308, 1.7e308
	if _, err := h.store.PutProgramme(h.ctx, p, rev, nil, nil); err != nil {
		t.Fatal(err)
	}
	e := h.entry(h.exhibitor("Overflow Co"), catCyber, "Overflow")
	j := h.judge([]string{catCyber})
	h.assign(j, e)
	h.pub.take()
	_, err := h.svc.SubmitScore(h.ctx, j, e.ID, cyber(1.7e308, 3))
	wantErr(t, err, judging.ErrTotalNotFinite)
	if n := len(must(h.store.Audit(h.ctx))(t)); n != 0 {
		t.Fatalf("a refused score wrote %d audit records", n)
	}
	h.wantEvents()
	// A finite total in the same category is still accepted.
	if sc := h.score(j, e, cyber(-1.7e308, 3)); math.IsNaN(sc.Total) {
		t.Fatalf("total %v", sc.Total)
	}
}

func TestService_Register_lookalikes(t *testing.T) {
	h := newService(t)
	reg := func(email string) judging.Registration {
		return judging.Registration{Email: email, Password: userPassword, Company: "Look Alike", Country: "FR"}
	}
	must(h.svc.Register(h.ctx, reg("victim@example.com"), ""))(t)
	for _, email := range []string{"victim@example.com\u200b", "v\u0456ctim@example.com", "ｖｉｃｔｉｍ@example.com", "VICTIM@EXAMPLE.COM"} {
		t.Run("ErrEmailTaken/"+email, func(t *testing.T) {
			// A look-alike of an existing email is a duplicate → 409 email_taken.
			_, err := h.svc.Register(h.ctx, reg(email), "")
			wantErr(t, err, judging.ErrEmailTaken)
		})
	}
	t.Run("OK the email is stored cleaned", func(t *testing.T) {
		// Invisible characters are removed and fullwidth letters made ASCII before storing.
		u := must(h.svc.Register(h.ctx, reg(" ｎｅｗ\u200bcomer@example.com "), ""))(t)
		if got, want := u.Email, "newcomer@example.com"; got != want {
			t.Fatalf("stored email %q, want %q", got, want)
		}
	})
	for _, tc := range []struct{ name, email, code string }{
		{"a NUL in the email is 422", "victim2@example.com\x00", "invalid_text"},
		{"an email over 254 characters is 422", strings.Repeat("a", 250) + "@x.io", "too_long"},
	} {
		t.Run("ErrInvalid/"+tc.name, func(t *testing.T) {
			_, err := h.svc.Register(h.ctx, reg(tc.email), "")
			wantInvalid(t, err, tc.code)
		})
	}
}

func TestService_TextFields(t *testing.T) {
	// Control characters (other than newline and tab in long text) → 422, in every input.
	h := newService(t)
	ex := h.exhibitor("Texts Ltd")
	e := h.entry(ex, catCyber, "Texts")
	j := h.judge([]string{catCyber})
	h.assign(j, e)
	for _, tc := range []struct {
		name string
		call func() error
		code string
	}{
		{"a NUL in a company", func() error {
			_, err := h.svc.Register(h.ctx, judging.Registration{Email: "nul@example.com", Password: userPassword, Company: "A\x00B", Country: "FR"}, "")
			return err
		}, "invalid_text"},
		{"a company of invisible characters only is missing", func() error {
			_, err := h.svc.Register(h.ctx, judging.Registration{Email: "zwsp@example.com", Password: userPassword, Company: "\u200b\u200d", Country: "FR"}, "")
			return err
		}, "missing_field"},
		{"an affiliation of invisible characters only", func() error {
			_, _, err := h.svc.CreateJudge(h.ctx, h.admin, judging.JudgeInput{Name: "J", Email: "jzwsp@example.com", Affiliations: []string{"\u200b"}, Categories: []string{catCyber}})
			return err
		}, "invalid_affiliations"},
		{"a NUL in a password", func() error {
			_, err := h.svc.Register(h.ctx, judging.Registration{Email: "nulpw@example.com", Password: "correct\x00horse", Company: "AB", Country: "FR"}, "")
			return err
		}, "invalid_text"},
		{"a NUL in a title", func() error {
			_, err := h.svc.CreateEntry(h.ctx, ex, judging.EntryInput{CategoryID: catCyber, Title: "T\x00"})
			return err
		}, "invalid_text"},
		{"a summary over 1,000 characters", func() error {
			_, err := h.svc.CreateEntry(h.ctx, ex, judging.EntryInput{CategoryID: catCyber, Title: "T", Summary: strings.Repeat("s", 1001)})
			return err
		}, "too_long"},
		{"11 links", func() error {
			_, err := h.svc.CreateEntry(h.ctx, ex, judging.EntryInput{CategoryID: catCyber, Title: "T", Links: make([]string, 11)})
			return err
		}, "invalid_links"},
		{"a link over 2,000 characters", func() error {
			_, err := h.svc.CreateEntry(h.ctx, ex, judging.EntryInput{CategoryID: catCyber, Title: "T", Links: []string{"https://x.io/" + strings.Repeat("p", 1988)}})
			return err
		}, "too_long"},
		{"a NUL in a judge's affiliation", func() error {
			_, _, err := h.svc.CreateJudge(h.ctx, h.admin, judging.JudgeInput{Name: "J", Email: "jnul@example.com", Affiliations: []string{"A\x00"}, Categories: []string{catCyber}})
			return err
		}, "invalid_text"},
		{"a NUL in a comment", func() error {
			in := cyber(5, 3)
			in.Comment = "ok\x00"
			_, err := h.svc.SubmitScore(h.ctx, j, e.ID, in)
			return err
		}, "invalid_text"},
		{"a NUL in a screen name", func() error {
			_, err := h.svc.CreateScreen(h.ctx, h.admin, "Hall\x00")
			return err
		}, "invalid_text"},
	} {
		t.Run("ErrInvalid/"+tc.name, func(t *testing.T) {
			wantInvalid(t, tc.call(), tc.code)
		})
	}
	t.Run("OK a link of 2,000 characters", func(t *testing.T) {
		must(h.svc.CreateEntry(h.ctx, ex, judging.EntryInput{CategoryID: catCyber, Title: "T", Links: []string{"https://x.io/" + strings.Repeat("p", 1987)}}))(t)
	})
}
