package web

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
)

// padTo returns the JSON object obj with spaces before its closing brace, n bytes in all.
func padTo(tb testing.TB, obj string, n int) []byte {
	tb.Helper()
	if !strings.HasSuffix(obj, "}") || len(obj) > n {
		tb.Fatalf("padTo(%q, %d)", obj, n)
	}
	return []byte(obj[:len(obj)-1] + strings.Repeat(" ", n-len(obj)) + "}")
}

func TestDecode(t *testing.T) {
	ts := newTestServer(t)
	x := ts.exhibitor(t, "Acme Secure")
	j := ts.judge(t, nil, catCyber)
	e := ts.submitted(t, x, catCyber, "Aegis")
	ts.assign(t, j, e)

	const (
		entries  = "/api/v1/entries"
		register = "/api/v1/auth/register"
	)
	valid := `{"category_id":"cyber-security","title":"Sized"}`
	tests := []struct {
		name     string
		method   string
		path     string
		token    string
		body     []byte
		status   int
		code     string // "" : any code
		mentions string // the message must name this
	}{
		{
			// Request bodies over 1 MiB → 413.
			name: "ErrTooLarge one byte over 1 MiB", method: "POST", path: entries, token: x.Token,
			body: padTo(t, valid, MaxBody+1), status: http.StatusRequestEntityTooLarge, code: "body_too_large",
		},
		{
			// Request bodies over 1 MiB → 413, however the bytes look.
			name: "ErrTooLarge 2 MiB of garbage", method: "POST", path: entries, token: x.Token,
			body: bytes.Repeat([]byte("x"), 2*MaxBody), status: http.StatusRequestEntityTooLarge, code: "body_too_large",
		},
		{
			// Request bodies over 1 MiB → 413: exactly 1 MiB is not over.
			name: "OK exactly 1 MiB", method: "POST", path: entries, token: x.Token,
			body: padTo(t, valid, MaxBody), status: http.StatusCreated,
		},
		{
			// Request bodies over 1 MiB → 413, also on a public route.
			name: "ErrTooLarge on register", method: "POST", path: register,
			body: padTo(t, `{"email":"big@awards.test"}`, MaxBody+10), status: http.StatusRequestEntityTooLarge, code: "body_too_large",
		},
		{
			// 400 malformed JSON.
			name: "ErrMalformed not JSON", method: "POST", path: entries, token: x.Token,
			body: []byte("category_id=cyber-security&title=x"), status: http.StatusBadRequest,
		},
		{
			// 400 malformed JSON: an empty body.
			name: "ErrMalformed empty body", method: "POST", path: entries, token: x.Token,
			body: []byte(""), status: http.StatusBadRequest,
		},
		{
			// 400 malformed JSON: cut short.
			name: "ErrMalformed truncated", method: "POST", path: entries, token: x.Token,
			body: []byte(`{"category_id":"cyber-security","title":"x"`), status: http.StatusBadRequest,
		},
		{
			// 400 malformed JSON: not an object.
			name: "ErrMalformed an array", method: "POST", path: entries, token: x.Token,
			body: []byte(`[{"category_id":"cyber-security","title":"x"}]`), status: http.StatusBadRequest,
		},
		{
			// 400 malformed JSON: a bare string.
			name: "ErrMalformed a string", method: "POST", path: entries, token: x.Token,
			body: []byte(`"title"`), status: http.StatusBadRequest,
		},
		{
			// 400 … unknown field.
			name: "ErrUnknownField", method: "POST", path: entries, token: x.Token,
			body: []byte(`{"category_id":"cyber-security","title":"x","status":"submitted"}`), status: http.StatusBadRequest,
			code: "unknown_field", mentions: "status",
		},
		{
			// 400 … unknown field, in the scores body too.
			name: "ErrUnknownField in scores body", method: "PUT", path: "/api/v1/entries/" + e + "/scores/me", token: j.Token,
			body: []byte(`{"scores":{"innovation":5,"impact":3},"total":100}`), status: http.StatusBadRequest,
			code: "unknown_field", mentions: "total",
		},
		{
			// 400 malformed JSON: trailing garbage after the value.
			name: "ErrMalformed trailing garbage", method: "POST", path: entries, token: x.Token,
			body: []byte(valid + ` x`), status: http.StatusBadRequest,
		},
		{
			// 400 malformed JSON: two values.
			name: "ErrMalformed two objects", method: "POST", path: entries, token: x.Token,
			body: []byte(valid + valid), status: http.StatusBadRequest,
		},
		{
			// 422 valid JSON that breaks a rule: a value of the wrong type, naming the field.
			name: "ErrInvalid title is a number", method: "POST", path: entries, token: x.Token,
			body: []byte(`{"category_id":"cyber-security","title":5}`), status: http.StatusUnprocessableEntity,
			mentions: "title",
		},
		{
			// 422 valid JSON that breaks a rule: links must be a list.
			name: "ErrInvalid links is a string", method: "POST", path: entries, token: x.Token,
			body: []byte(`{"category_id":"cyber-security","title":"x","links":"https://example.com"}`), status: http.StatusUnprocessableEntity,
			mentions: "links",
		},
		{
			// 422 valid JSON that breaks a rule: a mark must be a number.
			name: "ErrInvalid mark is a string", method: "PUT", path: "/api/v1/entries/" + e + "/scores/me", token: j.Token,
			body: []byte(`{"scores":{"innovation":"five","impact":3}}`), status: http.StatusUnprocessableEntity,
			mentions: "innovation",
		},
		{
			// 422 … a missing required field: category_id and title are required.
			name: "ErrInvalid missing category_id", method: "POST", path: entries, token: x.Token,
			body: []byte(`{"title":"x"}`), status: http.StatusUnprocessableEntity, mentions: "category_id",
		},
		{
			// 422 … a missing required field: category_id and title are required.
			name: "ErrInvalid missing title", method: "POST", path: entries, token: x.Token,
			body: []byte(`{"category_id":"cyber-security","title":"  "}`), status: http.StatusUnprocessableEntity, mentions: "title",
		},
		{
			// 422 … a missing required field: null is missing.
			name: "ErrInvalid null body", method: "POST", path: entries, token: x.Token,
			body: []byte(`null`), status: http.StatusUnprocessableEntity, mentions: "category_id",
		},
		{
			// links holds http(s) URLs.
			name: "ErrInvalid ftp link", method: "POST", path: entries, token: x.Token,
			body:   []byte(`{"category_id":"cyber-security","title":"x","links":["https://ok.example","ftp://files.example/x"]}`),
			status: http.StatusUnprocessableEntity, mentions: "links[1]",
		},
		{
			// links holds http(s) URLs: a javascript: link is not one.
			name: "ErrInvalid javascript link", method: "POST", path: entries, token: x.Token,
			body:   []byte(`{"category_id":"cyber-security","title":"x","links":["javascript:alert(1)"]}`),
			status: http.StatusUnprocessableEntity, mentions: "links[0]",
		},
		{
			// Password ≥ 10 chars → 422 a short password.
			name: "ErrInvalid short password", method: "POST", path: register,
			body:   []byte(`{"email":"short@awards.test","password":"123456789","company":"Co","country":"FR","startup":false}`),
			status: http.StatusUnprocessableEntity, mentions: "password",
		},
		{
			// 422 … a short password: also when accepting an invitation.
			name: "ErrInvalid short password on invite", method: "POST", path: "/api/v1/auth/invite",
			body: []byte(`{"invite_token":"whatever","password":"short"}`), status: http.StatusUnprocessableEntity, mentions: "password",
		},
		{
			// 422 … a missing required field: POST /judges {name, email, affiliations, categories}.
			name: "ErrInvalid judge without categories", method: "POST", path: "/api/v1/judges", token: ts.admin,
			body: []byte(`{"name":"J","email":"j@awards.test","affiliations":[]}`), status: http.StatusUnprocessableEntity,
			mentions: "categories",
		},
		{
			// 422 … a missing required field: POST /ceremony/reveal (admin) {category_id}.
			name: "ErrInvalid reveal without category_id", method: "POST", path: "/api/v1/ceremony/reveal", token: ts.admin,
			body: []byte(`{"step":true}`), status: http.StatusUnprocessableEntity, mentions: "category_id",
		},
		{
			// 422 … a missing required field: POST /screens (admin) {name}.
			name: "ErrInvalid screen without name", method: "POST", path: "/api/v1/screens", token: ts.admin,
			body: []byte(`{}`), status: http.StatusUnprocessableEntity, mentions: "name",
		},
		{
			// 422 … a missing required field: POST /judges {name, email, …}.
			name: "ErrInvalid judge without email", method: "POST", path: "/api/v1/judges", token: ts.admin,
			body: []byte(`{"name":"J","categories":["csr"]}`), status: http.StatusUnprocessableEntity, mentions: "email",
		},
		{
			// 422 … a missing required field: POST /auth/login {email, password}.
			name: "ErrInvalid login without password", method: "POST", path: "/api/v1/auth/login",
			body: []byte(`{"email":"a@awards.test"}`), status: http.StatusUnprocessableEntity, mentions: "password",
		},
		{
			// 422 … startup is a boolean.
			name: "ErrInvalid startup is a string", method: "POST", path: register,
			body:   []byte(`{"email":"s@awards.test","password":"long enough pw","company":"Co","country":"FR","startup":"yes"}`),
			status: http.StatusUnprocessableEntity, mentions: "startup",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := ts.do(t, tt.method, tt.path, tt.token, tt.body)
			if got, want := status, tt.status; got != want {
				t.Fatalf("%s %s = %d %.300s, want %d", tt.method, tt.path, got, body, want)
			}
			if status < 400 {
				return
			}
			code, msg := errorOf(t, body)
			if tt.code != "" && code != tt.code {
				t.Errorf("code = %q, want %q", code, tt.code)
			}
			if !strings.Contains(msg, tt.mentions) {
				t.Errorf("message %q does not name %q", msg, tt.mentions)
			}
		})
	}

	t.Run("ErrMalformed leaves nothing behind", func(t *testing.T) {
		// A refused body writes nothing: the exhibitor's entries are the two made above.
		var es []apiEntry
		decodeInto(t, ts.must(t, http.StatusOK, "GET", entries, x.Token, nil), &es)
		if got, want := len(es), 2; got != want {
			t.Fatalf("exhibitor has %d entries, want %d (Aegis and the 1 MiB one)", got, want)
		}
	})
}
