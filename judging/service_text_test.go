package judging_test

import (
	"math"
	"strings"
	"testing"

	"github.com/awards-dev/awards/judging"
	"github.com/awards-dev/awards/judging/judgingtest"
)

func TestService_SubmitScore_nonFiniteTotal(t *testing.T) {
	// A programme stored before the programme rules (min -1.7e308, max 1.7e308) cannot make
	// the store keep a non-finite total: 422 before the store is called.
	h := judgingtest.New(t)
	p, rev := judgingtest.Must2(h.Store.Programme(h.Ctx))(t)
	p.Categories[0].Criteria[0].Min, p.Categories[0].Criteria[0].Max = -1.7e308, 1.7e308
	if _, err := h.Store.PutProgramme(h.Ctx, p, rev, nil, nil); err != nil {
		t.Fatal(err)
	}
	e := h.Entry(h.Exhibitor("Overflow Co"), judgingtest.CatCyber, "Overflow")
	j := h.Judge([]string{judgingtest.CatCyber})
	h.Assign(j, e)
	h.Pub.Take()
	_, err := h.Svc.SubmitScore(h.Ctx, j, e.ID, judgingtest.Cyber(1.7e308, 3))
	judgingtest.WantErr(t, err, judging.ErrTotalNotFinite)
	if n := len(judgingtest.Must(h.Store.Audit(h.Ctx))(t)); n != 0 {
		t.Fatalf("a refused score wrote %d audit records", n)
	}
	h.WantEvents()
	// A finite total in the same category is still accepted.
	if sc := h.Score(j, e, judgingtest.Cyber(-1.7e308, 3)); math.IsNaN(sc.Total) {
		t.Fatalf("total %v", sc.Total)
	}
}

func TestService_Register_lookalikes(t *testing.T) {
	h := judgingtest.New(t)
	reg := func(email string) judging.Registration {
		return judging.Registration{Email: email, Password: judgingtest.Password, Company: "Look Alike", Country: "FR"}
	}
	judgingtest.Must(h.Svc.Register(h.Ctx, reg("victim@example.com"), ""))(t)
	for _, email := range []string{"victim@example.com\u200b", "v\u0456ctim@example.com", "ｖｉｃｔｉｍ@example.com", "VICTIM@EXAMPLE.COM"} {
		t.Run("ErrEmailTaken/"+email, func(t *testing.T) {
			// A look-alike of an existing email is a duplicate → 409 email_taken.
			_, err := h.Svc.Register(h.Ctx, reg(email), "")
			judgingtest.WantErr(t, err, judging.ErrEmailTaken)
		})
	}
	t.Run("OK the email is stored cleaned", func(t *testing.T) {
		// Invisible characters are removed and fullwidth letters made ASCII before storing.
		u := judgingtest.Must(h.Svc.Register(h.Ctx, reg(" ｎｅｗ\u200bcomer@example.com "), ""))(t)
		if got, want := u.Email, "newcomer@example.com"; got != want {
			t.Fatalf("stored email %q, want %q", got, want)
		}
	})
	for _, tc := range []struct{ name, email, code string }{
		{"a NUL in the email is 422", "victim2@example.com\x00", "invalid_text"},
		{"an email over 254 characters is 422", strings.Repeat("a", 250) + "@x.io", "too_long"},
	} {
		t.Run("ErrInvalid/"+tc.name, func(t *testing.T) {
			_, err := h.Svc.Register(h.Ctx, reg(tc.email), "")
			judgingtest.WantInvalid(t, err, tc.code)
		})
	}
}

func TestService_TextFields(t *testing.T) {
	// Control characters (other than newline and tab in long text) → 422, in every input.
	h := judgingtest.New(t)
	ex := h.Exhibitor("Texts Ltd")
	e := h.Entry(ex, judgingtest.CatCyber, "Texts")
	j := h.Judge([]string{judgingtest.CatCyber})
	h.Assign(j, e)
	for _, tc := range []struct {
		name string
		call func() error
		code string
	}{
		{"a NUL in a company", func() error {
			_, err := h.Svc.Register(h.Ctx, judging.Registration{Email: "nul@example.com", Password: judgingtest.Password, Company: "A\x00B", Country: "FR"}, "")
			return err
		}, "invalid_text"},
		{"a company of invisible characters only is missing", func() error {
			_, err := h.Svc.Register(h.Ctx, judging.Registration{Email: "zwsp@example.com", Password: judgingtest.Password, Company: "\u200b\u200d", Country: "FR"}, "")
			return err
		}, "missing_field"},
		{"an affiliation of invisible characters only", func() error {
			_, _, err := h.Svc.CreateJudge(h.Ctx, h.Admin, judging.JudgeInput{Name: "J", Email: "jzwsp@example.com", Affiliations: []string{"\u200b"}, Categories: []string{judgingtest.CatCyber}})
			return err
		}, "invalid_affiliations"},
		{"a NUL in a password", func() error {
			_, err := h.Svc.Register(h.Ctx, judging.Registration{Email: "nulpw@example.com", Password: "correct\x00horse", Company: "AB", Country: "FR"}, "")
			return err
		}, "invalid_text"},
		{"a NUL in a title", func() error {
			_, err := h.Svc.CreateEntry(h.Ctx, ex, judging.EntryInput{CategoryID: judgingtest.CatCyber, Title: "T\x00"})
			return err
		}, "invalid_text"},
		{"a summary over 1,000 characters", func() error {
			_, err := h.Svc.CreateEntry(h.Ctx, ex, judging.EntryInput{CategoryID: judgingtest.CatCyber, Title: "T", Summary: strings.Repeat("s", 1001)})
			return err
		}, "too_long"},
		{"11 links", func() error {
			_, err := h.Svc.CreateEntry(h.Ctx, ex, judging.EntryInput{CategoryID: judgingtest.CatCyber, Title: "T", Links: make([]string, 11)})
			return err
		}, "invalid_links"},
		{"a link over 2,000 characters", func() error {
			_, err := h.Svc.CreateEntry(h.Ctx, ex, judging.EntryInput{CategoryID: judgingtest.CatCyber, Title: "T", Links: []string{"https://x.io/" + strings.Repeat("p", 1988)}})
			return err
		}, "too_long"},
		{"a NUL in a judge's affiliation", func() error {
			_, _, err := h.Svc.CreateJudge(h.Ctx, h.Admin, judging.JudgeInput{Name: "J", Email: "jnul@example.com", Affiliations: []string{"A\x00"}, Categories: []string{judgingtest.CatCyber}})
			return err
		}, "invalid_text"},
		{"a NUL in a comment", func() error {
			in := judgingtest.Cyber(5, 3)
			in.Comment = "ok\x00"
			_, err := h.Svc.SubmitScore(h.Ctx, j, e.ID, in)
			return err
		}, "invalid_text"},
		{"a NUL in a screen name", func() error {
			_, err := h.Svc.CreateScreen(h.Ctx, h.Admin, "Hall\x00")
			return err
		}, "invalid_text"},
	} {
		t.Run("ErrInvalid/"+tc.name, func(t *testing.T) {
			judgingtest.WantInvalid(t, tc.call(), tc.code)
		})
	}
	t.Run("OK a link of 2,000 characters", func(t *testing.T) {
		judgingtest.Must(h.Svc.CreateEntry(h.Ctx, ex, judging.EntryInput{CategoryID: judgingtest.CatCyber, Title: "T", Links: []string{"https://x.io/" + strings.Repeat("p", 1987)}}))(t)
	})
}
