package web

import (
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/awards-dev/awards/judging"
)

// limitCase is one request that breaks (or just meets) a field limit of the contract.
type limitCase struct {
	name   string
	method string
	path   string
	token  string
	body   any
	status int    // 422 for a broken limit
	code   string // "" when any 422 code will do
}

func (ts *testServer) checkLimits(t *testing.T, cases []limitCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, out := ts.do(t, c.method, c.path, c.token, c.body)
			if status != c.status {
				t.Fatalf("%s %s = %d %.300s, want %d", c.method, c.path, status, out, c.status)
			}
			if status == http.StatusUnprocessableEntity {
				if code, _ := errorOf(t, out); c.code != "" && code != c.code {
					t.Fatalf("code %q, want %q", code, c.code)
				}
			}
		})
	}
}

// with returns a copy of body with key set to v.
func with(body map[string]any, key string, v any) map[string]any {
	out := make(map[string]any, len(body)+1)
	for k, x := range body {
		out[k] = x
	}
	out[key] = v
	return out
}

func links(n, length int) []string {
	out := make([]string, n)
	for i := range out {
		u := "https://example.com/" + strings.Repeat("x", length)
		out[i] = u[:length]
	}
	return out
}

func TestLimits_HTTP(t *testing.T) {
	ts := newTestServer(t)
	x := ts.exhibitor(t, "Limits Ltd")
	j := ts.judge(t, nil, catCyber)
	e := ts.submitted(t, x, catCyber, "Measured")
	ts.assign(t, j, e)

	t.Run("login", func(t *testing.T) {
		// Control characters in any text field → 422, the login's too: never a lookup or a counter.
		p := "/api/v1/auth/login"
		ts.checkLimits(t, []limitCase{
			{"a NUL in the email → 422", "POST", p, "", map[string]any{"email": x.Email + "\x00", "password": password}, http.StatusUnprocessableEntity, "invalid_text"},
			{"an escape in the email → 422", "POST", p, "", map[string]any{"email": "\x1b[2J" + x.Email, "password": password}, http.StatusUnprocessableEntity, "invalid_text"},
			{"a NUL in the password → 422", "POST", p, "", map[string]any{"email": x.Email, "password": password + "\x00"}, http.StatusUnprocessableEntity, "invalid_text"},
			{"an email over 254 characters → 422", "POST", p, "", map[string]any{"email": strings.Repeat("a", 250) + "@b.cd", "password": password}, http.StatusUnprocessableEntity, ""},
			{"a password over 1,024 bytes → 422", "POST", p, "", map[string]any{"email": x.Email, "password": strings.Repeat("p", 1025)}, http.StatusUnprocessableEntity, ""},
			{"the right password still logs in", "POST", p, "", map[string]any{"email": x.Email, "password": password}, http.StatusOK, ""},
		})
	})

	t.Run("register", func(t *testing.T) {
		// Limits: email ≤ 254 characters, password 10–1,024 bytes; control characters → 422.
		reg := func(change func(b map[string]any)) map[string]any {
			b := map[string]any{"email": "limit" + ts.uniq() + "@awards.test", "password": password, "company": "Registered Ltd", "country": "FR", "startup": false}
			if change != nil {
				change(b)
			}
			return b
		}
		set := func(k string, v any) func(map[string]any) { return func(b map[string]any) { b[k] = v } }
		p := "/api/v1/auth/register"
		ts.checkLimits(t, []limitCase{
			{"an email of 254 characters is fine", "POST", p, "", reg(set("email", strings.Repeat("a", 64)+"@"+strings.Repeat("b", 63)+"."+strings.Repeat("c", 63)+"."+strings.Repeat("d", 61))), http.StatusCreated, ""},
			{"an email over 254 characters → 422", "POST", p, "", reg(set("email", strings.Repeat("a", 64)+"@"+strings.Repeat("b", 63)+"."+strings.Repeat("c", 63)+"."+strings.Repeat("d", 62))), http.StatusUnprocessableEntity, ""},
			{"a NUL in the email → 422", "POST", p, "", reg(set("email", "nul\x00"+ts.uniq()+"@awards.test")), http.StatusUnprocessableEntity, ""},
			{"a password over 1,024 bytes → 422", "POST", p, "", reg(set("password", strings.Repeat("é", 513))), http.StatusUnprocessableEntity, ""},
			{"a password of 1,024 bytes is fine", "POST", p, "", reg(set("password", strings.Repeat("é", 512))), http.StatusCreated, ""},
			{"a NUL in the password → 422", "POST", p, "", reg(set("password", "correct\x00horse battery")), http.StatusUnprocessableEntity, "invalid_text"},
			{"a NUL in the company → 422", "POST", p, "", reg(set("company", "Argonce\x00Cyber")), http.StatusUnprocessableEntity, "invalid_text"},
			{"a newline in the company → 422", "POST", p, "", reg(set("company", "Argonce\nCyber")), http.StatusUnprocessableEntity, "invalid_text"},
			{"a company over 200 characters → 422", "POST", p, "", reg(set("company", strings.Repeat("c", 201))), http.StatusUnprocessableEntity, ""},
			{"an escape sequence in the country → 422", "POST", p, "", reg(set("country", "F\x1bR")), http.StatusUnprocessableEntity, "invalid_text"},
		})
	})

	t.Run("entries", func(t *testing.T) {
		// Limits: title ≤ 200, summary ≤ 1,000, description ≤ 20,000 characters, ≤ 10 links of
		// ≤ 2,000 characters; control characters other than newline and tab in long text → 422.
		p := "/api/v1/entries"
		body := entryBody(catCyber, "Within limits")
		ts.checkLimits(t, []limitCase{
			{"a title of 200 characters is fine", "POST", p, x.Token, with(body, "title", strings.Repeat("é", 200)), http.StatusCreated, ""},
			{"a title over 200 characters → 422", "POST", p, x.Token, with(body, "title", strings.Repeat("é", 201)), http.StatusUnprocessableEntity, ""},
			{"a NUL in the title → 422", "POST", p, x.Token, with(body, "title", "Aegis\x00"), http.StatusUnprocessableEntity, "invalid_text"},
			{"a newline in the title → 422", "POST", p, x.Token, with(body, "title", "Aegis\nII"), http.StatusUnprocessableEntity, "invalid_text"},
			{"a summary of 1,000 characters with newlines and tabs is fine", "POST", p, x.Token, with(body, "summary", strings.Repeat("é\n\t", 333)+"é"), http.StatusCreated, ""},
			{"a summary over 1,000 characters → 422", "POST", p, x.Token, with(body, "summary", strings.Repeat("é", 1001)), http.StatusUnprocessableEntity, ""},
			{"a NUL in the summary → 422", "POST", p, x.Token, with(body, "summary", "one\x00two"), http.StatusUnprocessableEntity, "invalid_text"},
			{"a description of 20,000 characters is fine", "POST", p, x.Token, with(body, "description", strings.Repeat("d", 20000)), http.StatusCreated, ""},
			{"a description over 20,000 characters → 422", "POST", p, x.Token, with(body, "description", strings.Repeat("d", 20001)), http.StatusUnprocessableEntity, ""},
			{"a bell in the description → 422", "POST", p, x.Token, with(body, "description", "ring\a"), http.StatusUnprocessableEntity, "invalid_text"},
			{"a lone carriage return in the description → 422", "POST", p, x.Token, with(body, "description", "one\rtwo"), http.StatusUnprocessableEntity, "invalid_text"},
			{"10 links of 2,000 characters are fine", "POST", p, x.Token, with(body, "links", links(10, 2000)), http.StatusCreated, ""},
			{"11 links → 422", "POST", p, x.Token, with(body, "links", links(11, 40)), http.StatusUnprocessableEntity, ""},
			{"a link over 2,000 characters → 422", "POST", p, x.Token, with(body, "links", links(1, 2001)), http.StatusUnprocessableEntity, ""},
			{"a C1 control in a link → 422", "POST", p, x.Token, with(body, "links", []string{"https://example.com/a\u0085b"}), http.StatusUnprocessableEntity, ""},
			{"the same limits hold on PUT", "PUT", p + "/" + e, ts.admin, with(body, "summary", strings.Repeat("s", 1001)), http.StatusUnprocessableEntity, ""},
			{"control characters are refused on PUT", "PUT", p + "/" + e, ts.admin, with(body, "title", "Aegis\x00"), http.StatusUnprocessableEntity, "invalid_text"},
		})
		t.Run("CRLF in long text is kept as LF", func(t *testing.T) {
			// Newline is fine in long text; a CRLF is stored as one newline.
			var got apiEntry
			decodeInto(t, ts.must(t, http.StatusCreated, "POST", p, x.Token, with(body, "description", "one\r\ntwo\r\n")), &got)
			if got.Description != "one\ntwo\n" {
				t.Fatalf("description = %q, want %q", got.Description, "one\ntwo\n")
			}
		})
	})

	t.Run("judges", func(t *testing.T) {
		// Names ≤ 200 characters, ≤ 50 affiliations, a bounded list of categories; control characters → 422.
		p := "/api/v1/judges"
		jb := func() map[string]any {
			return map[string]any{"name": "Judge Limits", "email": "jl" + ts.uniq() + "@awards.test", "affiliations": []string{"Other Co"}, "categories": []string{catCyber}}
		}
		many := make([]string, 101)
		for i := range many {
			many[i] = catCyber
		}
		ts.checkLimits(t, []limitCase{
			{"a NUL in the name → 422", "POST", p, ts.admin, with(jb(), "name", "Ju\x00dge"), http.StatusUnprocessableEntity, "invalid_text"},
			{"a name over 200 characters → 422", "POST", p, ts.admin, with(jb(), "name", strings.Repeat("n", 201)), http.StatusUnprocessableEntity, ""},
			{"a NUL in an affiliation → 422", "POST", p, ts.admin, with(jb(), "affiliations", []string{"Argonce\x00Cyber"}), http.StatusUnprocessableEntity, "invalid_text"},
			{"a tab in an affiliation → 422", "POST", p, ts.admin, with(jb(), "affiliations", []string{"Argonce\tCyber"}), http.StatusUnprocessableEntity, "invalid_text"},
			{"over 100 categories → 422", "POST", p, ts.admin, with(jb(), "categories", many), http.StatusUnprocessableEntity, ""},
			{"a category id over 64 characters → 422", "POST", p, ts.admin, with(jb(), "categories", []string{strings.Repeat("c", 65)}), http.StatusUnprocessableEntity, ""},
		})
	})

	t.Run("scores", func(t *testing.T) {
		// Limits: comment ≤ 20,000 characters; newline and tab are fine in it, other control characters → 422.
		p := "/api/v1/entries/" + e + "/scores/me"
		sb := func(comment string) map[string]any {
			return map[string]any{"scores": map[string]float64{"innovation": 5, "impact": 3}, "comment": comment}
		}
		ts.checkLimits(t, []limitCase{
			{"a comment of 20,000 characters with newlines and tabs is fine", "PUT", p, j.Token, sb(strings.Repeat("é\n\t\t", 5000)), http.StatusOK, ""},
			{"a comment over 20,000 characters → 422", "PUT", p, j.Token, sb(strings.Repeat("é", 20001)), http.StatusUnprocessableEntity, ""},
			{"a NUL in the comment → 422", "PUT", p, j.Token, sb("fine\x00work"), http.StatusUnprocessableEntity, "invalid_text"},
		})
	})

	t.Run("screens", func(t *testing.T) {
		// A screen name is a one-line name of ≤ 200 characters.
		p := "/api/v1/screens"
		ts.checkLimits(t, []limitCase{
			{"a NUL in the name → 422", "POST", p, ts.admin, map[string]string{"name": "Hall\x00A"}, http.StatusUnprocessableEntity, "invalid_text"},
			{"a name over 200 characters → 422", "POST", p, ts.admin, map[string]string{"name": strings.Repeat("h", 201)}, http.StatusUnprocessableEntity, ""},
		})
	})
}

func TestProgrammeLimits_HTTP(t *testing.T) {
	ts := newTestServer(t)
	prog := func(change func(p *judging.Programme)) judging.Programme {
		p := testProgramme()
		change(&p)
		return p
	}
	// A criterion needs finite min < max with |min|, |max| ≤ 1e6 and 0 < weight ≤ 1000 → else 422.
	crit := func(f func(k *judging.Criterion)) judging.Programme {
		return prog(func(p *judging.Programme) { f(&p.Categories[1].Criteria[0]) })
	}
	cats := func(n int) judging.Programme {
		return prog(func(p *judging.Programme) {
			for i := len(p.Categories); i < n; i++ {
				c := p.Categories[1]
				c.ID = fmt.Sprintf("extra-%d", i)
				p.Categories = append(p.Categories, c)
			}
		})
	}
	criteria := func(n int) judging.Programme {
		return prog(func(p *judging.Programme) {
			c := &p.Categories[1]
			for i := len(c.Criteria); i < n; i++ {
				k := c.Criteria[0]
				k.ID = fmt.Sprintf("k-%d", i)
				c.Criteria = append(c.Criteria, k)
			}
		})
	}
	p := "/api/v1/programme"
	bad := http.StatusUnprocessableEntity
	ts.checkLimits(t, []limitCase{
		{"min -1.7e308 and max 1.7e308 → 422", "PUT", p, ts.admin, crit(func(k *judging.Criterion) { k.Min, k.Max = -1.7e308, 1.7e308 }), bad, "invalid_programme"},
		{"max over 1e6 → 422", "PUT", p, ts.admin, crit(func(k *judging.Criterion) { k.Max = 1e6 + 1 }), bad, "invalid_programme"},
		{"min under -1e6 → 422", "PUT", p, ts.admin, crit(func(k *judging.Criterion) { k.Min = -1e6 - 1 }), bad, "invalid_programme"},
		{"min equal to max → 422", "PUT", p, ts.admin, crit(func(k *judging.Criterion) { k.Min, k.Max = 3, 3 }), bad, "invalid_programme"},
		{"a weight over 1000 → 422", "PUT", p, ts.admin, crit(func(k *judging.Criterion) { k.Weight = 1000.5 }), bad, "invalid_programme"},
		{"a zero weight → 422", "PUT", p, ts.admin, crit(func(k *judging.Criterion) { k.Weight = 0 }), bad, "invalid_programme"},
		{"a weight far below one is still a positive weight", "PUT", p, ts.admin, crit(func(k *judging.Criterion) { k.Weight = math.SmallestNonzeroFloat64 }), http.StatusOK, ""},
		{"the widest range and heaviest weight are fine", "PUT", p, ts.admin, crit(func(k *judging.Criterion) { k.Min, k.Max, k.Weight = -1e6, 1e6, 1000 }), http.StatusOK, ""},
		{"a NUL in the programme name → 422", "PUT", p, ts.admin, prog(func(p *judging.Programme) { p.Name = "Awards\x00" }), bad, "invalid_programme"},
		{"a programme name over 200 characters → 422", "PUT", p, ts.admin, prog(func(p *judging.Programme) { p.Name = strings.Repeat("n", 201) }), bad, "invalid_programme"},
		{"a NUL in a category name → 422", "PUT", p, ts.admin, prog(func(p *judging.Programme) { p.Categories[0].Name = "Cyber\x00" }), bad, "invalid_programme"},
		{"a newline in a category name → 422", "PUT", p, ts.admin, prog(func(p *judging.Programme) { p.Categories[0].Name = "Cyber\nsecurity" }), bad, "invalid_programme"},
		{"a category description over 20,000 characters → 422", "PUT", p, ts.admin, prog(func(p *judging.Programme) { p.Categories[0].Description = strings.Repeat("d", 20001) }), bad, "invalid_programme"},
		{"a NUL in a category description → 422", "PUT", p, ts.admin, prog(func(p *judging.Programme) { p.Categories[0].Description = "one\x00" }), bad, "invalid_programme"},
		{"newlines are fine in a category description", "PUT", p, ts.admin, prog(func(p *judging.Programme) { p.Categories[0].Description = "one\ntwo" }), http.StatusOK, ""},
		{"a NUL in a criterion name → 422", "PUT", p, ts.admin, prog(func(p *judging.Programme) { p.Categories[0].Criteria[0].Name = "Inno\x00" }), bad, "invalid_programme"},
		{"a criterion name over 200 characters → 422", "PUT", p, ts.admin, prog(func(p *judging.Programme) { p.Categories[0].Criteria[0].Name = strings.Repeat("c", 201) }), bad, "invalid_programme"},
		{"100 categories are fine", "PUT", p, ts.admin, cats(100), http.StatusOK, ""},
		{"over 100 categories → 422", "PUT", p, ts.admin, cats(101), bad, "invalid_programme"},
		{"50 criteria are fine", "PUT", p, ts.admin, criteria(50), http.StatusOK, ""},
		{"over 50 criteria → 422", "PUT", p, ts.admin, criteria(51), bad, "invalid_programme"},
	})
}
