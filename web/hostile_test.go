package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/redis/go-redis/v9"
)

// The hostile-input suite: every route, as every role, gets the shapes a hostile show floor
// sends (deep nesting, huge strings, control characters, invalid UTF-8, non-finite numbers,
// look-alikes, hostile ids, concurrent bursts). Whatever the shape, the answer is the
// contract's (never a 500), an error has the error shape, and a refused request changes
// nothing that is stored.

// storeState reads every stored key but the volatile ones (rate-limit counters and
// idempotency records, which a refused request may rightly touch): key → type and value.
func storeState(tb testing.TB, rdb *redis.Client) map[string]string {
	tb.Helper()
	ctx := context.Background()
	var keys []string
	iter := rdb.Scan(ctx, 0, "*", 1000).Iterator()
	for iter.Next(ctx) {
		k := iter.Val()
		if strings.Contains(k, "{rl}:") || strings.Contains(k, ":idem:") {
			continue
		}
		keys = append(keys, k)
	}
	if err := iter.Err(); err != nil {
		tb.Fatalf("scan: %v", err)
	}
	if len(keys) == 0 {
		tb.Fatalf("the store holds no key: nothing to compare") // a comparison of nothing would pass
	}
	types := make([]*redis.StatusCmd, len(keys))
	if _, err := rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, k := range keys {
			types[i] = p.Type(ctx, k)
		}
		return nil
	}); err != nil {
		tb.Fatalf("type: %v", err)
	}
	vals := make([]redis.Cmder, len(keys))
	if _, err := rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, k := range keys {
			switch types[i].Val() {
			case "string":
				vals[i] = p.Get(ctx, k)
			case "hash":
				vals[i] = p.HGetAll(ctx, k)
			case "set":
				vals[i] = p.SMembers(ctx, k)
			case "zset":
				vals[i] = p.ZRangeWithScores(ctx, k, 0, -1)
			case "list":
				vals[i] = p.LRange(ctx, k, 0, -1)
			case "stream":
				vals[i] = p.XRange(ctx, k, "-", "+")
			}
		}
		return nil
	}); err != nil && err != redis.Nil {
		tb.Fatalf("read: %v", err)
	}
	out := make(map[string]string, len(keys))
	for i, k := range keys {
		v := ""
		switch c := vals[i].(type) {
		case *redis.StringCmd:
			v = c.Val()
		case *redis.MapStringStringCmd:
			v = fmt.Sprint(c.Val()) // fmt sorts map keys
		case *redis.StringSliceCmd:
			m := slices.Clone(c.Val())
			sort.Strings(m)
			v = fmt.Sprint(m)
		case *redis.ZSliceCmd:
			v = fmt.Sprint(c.Val())
		case *redis.XMessageSliceCmd:
			v = fmt.Sprint(c.Val())
		}
		out[k] = types[i].Val() + " " + v
	}
	return out
}

// sameState fails tb, naming what changed, unless two reads of the store are equal.
func sameState(tb testing.TB, what string, before, after map[string]string) {
	tb.Helper()
	var diff []string
	for k, v := range after {
		if b, ok := before[k]; !ok {
			diff = append(diff, "added "+k)
		} else if b != v {
			diff = append(diff, "changed "+k)
		}
	}
	for k := range before {
		if _, ok := after[k]; !ok {
			diff = append(diff, "removed "+k)
		}
	}
	if len(diff) > 0 {
		sort.Strings(diff)
		tb.Fatalf("%s was refused but changed the store: %s", what, strings.Join(diff, ", "))
	}
}

// placeholder marks the leaf a mutation replaces in a marshalled body.
const placeholder = "\ue000hostile\ue000"

// leaf is one scalar of a JSON body, by its path of object keys and array indexes.
type leaf struct {
	path []any  // string keys and int indexes
	kind string // "string", "number" or "bool"
}

// name is the leaf's path with array indexes as [], so that the criteria of every category
// share one name.
func (l leaf) name() string {
	var b strings.Builder
	for _, p := range l.path {
		switch p := p.(type) {
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(p)
		case int:
			b.WriteString("[]")
		}
	}
	return b.String()
}

// leaves lists a body's scalars, one per name (the first), in a stable order.
func leaves(v any) []leaf {
	var out []leaf
	seen := map[string]bool{}
	var walk func(v any, path []any)
	walk = func(v any, path []any) {
		add := func(kind string) {
			l := leaf{path: slices.Clone(path), kind: kind}
			if !seen[l.name()] {
				seen[l.name()] = true
				out = append(out, l)
			}
		}
		switch v := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(v))
			for k := range v {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				walk(v[k], append(path, k))
			}
		case []any:
			for i, x := range v {
				walk(x, append(path, i))
			}
		case string:
			add("string")
		case float64:
			add("number")
		case bool:
			add("bool")
		}
	}
	walk(v, nil)
	return out
}

// replaced returns body as JSON with the leaf at path replaced by raw JSON bytes.
func replaced(tb testing.TB, body any, path []any, raw []byte) []byte {
	tb.Helper()
	var v any
	b, err := json.Marshal(body)
	if err != nil {
		tb.Fatalf("marshal: %v", err)
	}
	if err := json.Unmarshal(b, &v); err != nil {
		tb.Fatalf("unmarshal: %v", err)
	}
	set := func(parent any, key any, x any) {
		switch p := parent.(type) {
		case map[string]any:
			p[key.(string)] = x
		case []any:
			p[key.(int)] = x
		}
	}
	node := v
	for _, p := range path[:len(path)-1] {
		switch p := p.(type) {
		case string:
			node = node.(map[string]any)[p]
		case int:
			node = node.([]any)[p]
		}
	}
	set(node, path[len(path)-1], placeholder)
	out, err := json.Marshal(v)
	if err != nil {
		tb.Fatalf("marshal: %v", err)
	}
	quoted, _ := json.Marshal(placeholder)
	if bytes.Count(out, quoted) != 1 {
		tb.Fatalf("placeholder found %d times in %s", bytes.Count(out, quoted), out)
	}
	return bytes.Replace(out, quoted, raw, 1)
}

// mutation is one hostile value put in place of a leaf, and the answer the contract gives an
// admitted caller for it.
type mutation struct {
	name   string
	kinds  string // the leaf kinds it applies to
	raw    func(orig any) []byte
	status int
	code   string // "" : any code
}

var (
	hugeText = strings.Repeat("Ж", 300_000) // 600 KB: under the 1 MiB body limit, over every field's
	deepJSON = strings.Repeat("[", 40) + strings.Repeat("]", 40)
)

var mutations = []mutation{
	{"control character NUL", "string", func(o any) []byte { return jsonString(fmt.Sprint(o) + "\x00") }, 422, ""},
	{"control character ESC", "string", func(o any) []byte { return jsonString("\x1b[31m" + fmt.Sprint(o)) }, 422, ""},
	{"huge string", "string", func(any) []byte { return jsonString(hugeText) }, 422, ""},
	{"invalid UTF-8", "string", func(o any) []byte { return append(jsonString(fmt.Sprint(o))[:1], "\xff\xfe\""...) }, 400, "invalid_utf8"},
	{"lone surrogate", "string", func(any) []byte { return []byte(`"\udc01"`) }, 400, "invalid_utf8"},
	{"deep nesting", "string number bool", func(any) []byte { return []byte(deepJSON) }, 400, "too_deep"},
	{"number overflow", "number", func(any) []byte { return []byte("1e999") }, 422, ""},
	{"largest float", "number", func(any) []byte { return []byte("1.7976931348623157e308") }, 422, ""},
	{"lowest float", "number", func(any) []byte { return []byte("-1.7976931348623157e308") }, 422, ""},
	{"NaN literal", "number", func(any) []byte { return []byte("NaN") }, 400, ""},
	{"a string for a number", "number bool", func(any) []byte { return []byte(`"1"`) }, 422, ""},
}

func jsonString(s string) []byte {
	b, _ := json.Marshal(s)
	return b
}

// leafAnswer is the answer to a mutation of one leaf where the contract gives another than
// the mutation's own: "route leaf mutation" (route as METHOD pattern; "*" matches all).
type leafAnswer struct {
	status int
	code   string
}

// leafAnswers are the refusals that are not a 422 of the field itself, with the reason.
var leafAnswers = map[string]leafAnswer{
	// A used or unknown invite_token → 401, whatever it looks like.
	"POST /api/v1/auth/invite invite_token control character NUL": {401, "invalid_invite"},
	"POST /api/v1/auth/invite invite_token control character ESC": {401, "invalid_invite"},
	"POST /api/v1/auth/invite invite_token huge string":           {401, "invalid_invite"},
	// Ids name things: an id nothing has is 404 (unknown_judge, unknown_entry, unknown_category).
	"POST /api/v1/assignments judge_id control character NUL":        {404, "unknown_judge"},
	"POST /api/v1/assignments judge_id control character ESC":        {404, "unknown_judge"},
	"POST /api/v1/assignments judge_id huge string":                  {404, "unknown_judge"},
	"POST /api/v1/assignments entry_id control character NUL":        {404, "unknown_entry"},
	"POST /api/v1/assignments entry_id control character ESC":        {404, "unknown_entry"},
	"POST /api/v1/assignments entry_id huge string":                  {404, "unknown_entry"},
	"DELETE /api/v1/assignments judge_id control character NUL":      {404, "unknown_judge"},
	"DELETE /api/v1/assignments judge_id control character ESC":      {404, "unknown_judge"},
	"DELETE /api/v1/assignments judge_id huge string":                {404, "unknown_judge"},
	"DELETE /api/v1/assignments entry_id control character NUL":      {404, "unknown_entry"},
	"DELETE /api/v1/assignments entry_id control character ESC":      {404, "unknown_entry"},
	"DELETE /api/v1/assignments entry_id huge string":                {404, "unknown_entry"},
	"POST /api/v1/ceremony/reveal category_id control character NUL": {404, "unknown_category"},
	"POST /api/v1/ceremony/reveal category_id control character ESC": {404, "unknown_category"},
	"POST /api/v1/ceremony/reveal category_id huge string":           {404, "unknown_category"},
}

// answerFor returns the status and code an admitted caller gets for mutation m of leaf l.
func answerFor(pattern, method string, l leaf, m mutation) (int, string) {
	if a, ok := leafAnswers[method+" "+pattern+" "+l.name()+" "+m.name]; ok {
		return a.status, a.code
	}
	return m.status, m.code
}

// hostileIDs are path ids no record has: each → 404 for a caller the route admits.
var hostileIDs = []struct {
	name, id string
	noRoute  bool // the path matches no route: 404 for everyone
}{
	{"huge", strings.Repeat("e", 4000), false},
	{"NUL", "e_%00", false},
	{"control characters", "e_%1b%5b2J", false},
	{"invalid UTF-8", "e_%ff%fe", false},
	{"look-alike of a real id", "", false}, // filled per route: the real id with a Cyrillic е
	{"path traversal", "..%2f..%2fprogramme", true},
	{"JSON", "%7B%22%24ne%22%3A1%7D", false},
}

func TestHostileInput(t *testing.T) {
	f := newRouteFixture(t)
	ts := f.ts
	table := routeTable(f)

	// wanted returns what role r gets on route c when the route admits it (admitted true), or
	// the refusal the route table gives it.
	wanted := func(c routeCase, r role) (status int, admitted bool) {
		switch {
		case r == voter && strings.HasPrefix(c.pattern, "/api/v1/"):
			return http.StatusUnauthorized, false // a token whose subject is no user
		case r == voter:
			r = public
		}
		w := c.want[r]
		return w, w != http.StatusUnauthorized && w != http.StatusForbidden
	}

	// send sends one request and checks the answer: the status, an error body of the
	// contract's shape with the code, and an unchanged store when it is refused.
	send := func(t *testing.T, what, method, path, token string, body []byte, status int, code string) {
		t.Helper()
		before := storeState(t, ts.rdb)
		got, out := ts.do(t, method, path, token, body)
		if got >= 500 {
			t.Fatalf("%s: %s %s = %d %.200s: never a 5xx", what, method, path, got, out)
		}
		if got != status {
			t.Fatalf("%s: %s %s = %d %.300s, want %d", what, method, path, got, out, status)
		}
		if got < 400 {
			return
		}
		if c, _ := errorOf(t, out); code != "" && c != code {
			t.Fatalf("%s: %s %s = %d code %q, want %q", what, method, path, got, c, code)
		}
		sameState(t, what, before, storeState(t, ts.rdb))
	}

	for _, c := range table {
		if c.body == nil {
			continue
		}
		t.Run(c.method+" "+c.pattern, func(t *testing.T) {
			path := func(t *testing.T) string {
				if c.id == nil {
					return c.pattern
				}
				return strings.Replace(c.pattern, ":id", c.id(t), 1)
			}
			t.Run("whole body", func(t *testing.T) {
				// Every role, whole-body shapes: JSON nested deeper than 32 levels → 400; a body
				// over 1 MiB → 413; invalid UTF-8 → 400. A role the route refuses is refused first.
				for _, shape := range []struct {
					name   string
					body   []byte
					status int
					code   string
				}{
					{"1 MiB of nesting", nested("x", MaxBody), 400, "too_deep"},
					{"over 1 MiB", padTo(t, `{"x":1}`, MaxBody+1), 413, "body_too_large"},
					{"invalid UTF-8", []byte("{\"x\":\"\xc0\xaf\"}"), 400, "invalid_utf8"},
					{"not JSON", []byte("\x00\x01\x02"), 400, ""},
				} {
					for r := range nRoles {
						status, code := shape.status, shape.code
						if w, ok := wanted(c, r); !ok {
							status, code = w, ""
						}
						send(t, r.String()+" "+shape.name, c.method, path(t), f.token(r), shape.body, status, code)
					}
				}
			})
			// Per leaf, for one role the route admits: each hostile value in place of each
			// field → the contract's refusal, never a 500, nothing stored.
			var r role = -1
			for x := range nRoles {
				if _, ok := wanted(c, x); ok {
					r = x
					break
				}
			}
			if r < 0 {
				t.Fatalf("no role is admitted to %s %s", c.method, c.pattern)
			}
			valid := toJSONValue(t, c.body(t))
			for _, l := range leaves(valid) {
				for _, m := range mutations {
					if !strings.Contains(m.kinds, l.kind) {
						continue
					}
					t.Run(l.name()+"/"+m.name, func(t *testing.T) {
						orig := valueAt(valid, l.path)
						status, code := answerFor(c.pattern, c.method, l, m)
						body := replaced(t, valid, l.path, m.raw(orig))
						send(t, r.String(), c.method, path(t), f.token(r), body, status, code)
					})
				}
			}
		})
	}

	t.Run("hostile ids", func(t *testing.T) {
		// 404 not found, also for things the caller may not know exist: an id nothing has,
		// however it is made, is a 404 to a caller the route admits (and the route's own
		// refusal to others), never a 500.
		for _, c := range table {
			if c.id == nil {
				continue
			}
			for _, h := range hostileIDs {
				id := h.id
				if id == "" {
					id = url.PathEscape(lookalike(c.id(t)))
				}
				path := strings.Replace(c.pattern, ":id", id, 1)
				var body []byte
				if c.body != nil {
					body, _ = json.Marshal(c.body(t))
				}
				for r := range nRoles {
					status, admitted := wanted(c, r)
					code := ""
					if admitted || h.noRoute {
						status, code = http.StatusNotFound, ""
					}
					send(t, r.String()+" "+h.name+" id", c.method, path, f.token(r), body, status, code)
				}
			}
		}
	})

	t.Run("hostile queries", func(t *testing.T) {
		// GET /entries?category_id= filters; a filter no category has lists nothing.
		for _, q := range []string{strings.Repeat("c", 4000), "%00", "%ff", deepJSON, "csr%00", "сsr"} {
			status, out := ts.do(t, "GET", "/api/v1/entries?category_id="+q, ts.admin, nil)
			if status != http.StatusOK || strings.TrimSpace(string(out)) != "[]" {
				t.Fatalf("GET /entries?category_id=%.40s = %d %.200s, want 200 []", q, status, out)
			}
		}
	})
}

// lookalike returns id with its first Latin letter that has a Cyrillic twin replaced by it.
func lookalike(id string) string {
	twins := map[rune]string{'a': "а", 'e': "е", 'o': "о", 'p': "р", 'c': "с", 'x': "х", 'i': "і", 'y': "у"}
	for i, r := range id {
		if tw, ok := twins[r]; ok {
			return id[:i] + tw + id[i+1:]
		}
	}
	return id + "а"
}

// valueAt returns the scalar at path in a decoded JSON value.
func valueAt(v any, path []any) any {
	for _, p := range path {
		switch p := p.(type) {
		case string:
			v = v.(map[string]any)[p]
		case int:
			v = v.([]any)[p]
		}
	}
	return v
}

// toJSONValue returns v as encoding/json would decode its JSON: maps, slices and float64s.
func toJSONValue(tb testing.TB, v any) any {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatalf("marshal: %v", err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		tb.Fatalf("unmarshal: %v", err)
	}
	return out
}

func TestHostileInput_Lookalikes(t *testing.T) {
	ts := newTestServer(t)
	victim := ts.exhibitor(t, "Argonce Cyber")
	// Emails and company names are compared after NFKC normalisation, case folding, removal
	// of invisible characters and collapsing of spaces; confusable look-alikes count as the
	// same. Each look-alike of an existing email is a duplicate: 409, nothing stored.
	at := strings.Index(victim.Email, "@")
	local, domain := victim.Email[:at], victim.Email[at:]
	for _, tc := range []struct{ name, email string }{
		{"zero-width space after", victim.Email + "\u200b"},
		{"zero-width joiner inside", local[:3] + "\u200d" + local[3:] + domain},
		{"soft hyphen inside", local[:3] + "\u00ad" + local[3:] + domain},
		{"upper case", strings.ToUpper(victim.Email)},
		{"fullwidth", strings.Replace(victim.Email, "e", "ｅ", 1)},
		{"Cyrillic е", strings.Replace(victim.Email, "e", "е", 1)},
		{"Greek ο in the domain", local + strings.Replace(domain, "o", "ο", 1)},
		{"admin with a Cyrillic а", strings.Replace(adminEmail, "a", "а", 1)},
		{"admin with a zero-width space", "\u200b" + adminEmail},
	} {
		t.Run("register "+tc.name, func(t *testing.T) {
			before := storeState(t, ts.rdb)
			status, out := ts.do(t, "POST", "/api/v1/auth/register", "", map[string]any{
				"email": tc.email, "password": password, "company": "Imposter", "country": "FR", "startup": false,
			})
			if status != http.StatusConflict {
				t.Fatalf("register %q = %d %s, want 409", tc.email, status, out)
			}
			if code, _ := errorOf(t, out); code != "email_taken" {
				t.Fatalf("code %q, want email_taken", code)
			}
			sameState(t, "a look-alike registration", before, storeState(t, ts.rdb))
		})
		t.Run("judge "+tc.name, func(t *testing.T) {
			before := storeState(t, ts.rdb)
			status, out := ts.do(t, "POST", "/api/v1/judges", ts.admin, map[string]any{
				"name": "Imposter", "email": tc.email, "affiliations": []string{}, "categories": []string{catCyber},
			})
			if status != http.StatusConflict {
				t.Fatalf("POST /judges %q = %d %s, want 409", tc.email, status, out)
			}
			sameState(t, "a look-alike judge", before, storeState(t, ts.rdb))
		})
	}

	// A judge is never assigned to a company they are affiliated with, however the company
	// is spelled: 409 conflict_of_interest, nothing stored.
	e := ts.submitted(t, victim, catCyber, "Shield")
	for _, aff := range []string{"ARGONCE CYBER", "Argonce\u00a0Cyber", "Argonce  Cyber\u200b", "Аrgonce Cyber", "ＡＲＧＯＮＣＥ ＣＹＢＥＲ", "argonce cyber\u00ad"} {
		j := ts.judge(t, []string{aff}, catCyber)
		before := storeState(t, ts.rdb)
		status, out := ts.do(t, "POST", "/api/v1/assignments", ts.admin, map[string]string{"judge_id": j.ID, "entry_id": e})
		if status != http.StatusConflict {
			t.Fatalf("assign judge affiliated %q = %d %s, want 409", aff, status, out)
		}
		sameState(t, "a conflicted assignment", before, storeState(t, ts.rdb))
	}
}

func TestHostileInput_Bursts(t *testing.T) {
	ts := newTestServer(t)
	x := ts.exhibitor(t, "Burst Ltd")
	j := ts.judge(t, nil, catCyber)
	e := ts.submitted(t, x, catCyber, "Burst entry")
	ts.assign(t, j, e)

	burst := func(n int, f func(i int) (int, []byte)) []int {
		var wg sync.WaitGroup
		statuses := make([]int, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses[i], _ = f(i)
			}()
		}
		wg.Wait()
		return statuses
	}
	count := func(statuses []int, s int) int {
		n := 0
		for _, x := range statuses {
			if x == s {
				n++
			}
		}
		return n
	}

	t.Run("refused bodies in parallel change nothing", func(t *testing.T) {
		// Bad input gets a clear error, never a 500 or a partial write, also 32 at once.
		before := storeState(t, ts.rdb)
		deep := nested("title", 256<<10)
		for _, req := range []struct {
			method, path, token string
			body                []byte
			status              int
		}{
			{"POST", "/api/v1/entries", x.Token, deep, 400},
			{"POST", "/api/v1/auth/login", "", deep, 400},
			{"POST", "/api/v1/auth/register", "", []byte(`{"email":"burst@awards.test","password":"` + password + `","company":"B\u0000","country":"FR","startup":false}`), 422},
			{"PUT", "/api/v1/entries/" + e + "/scores/me", j.Token, []byte(`{"scores":{"innovation":1e999,"impact":3}}`), 422},
			{"PUT", "/api/v1/programme", ts.admin, []byte(`{"name":"x","timezone":"Europe/Paris","submissions_close":"2023-11-14T10:00:00+01:00","judging_close":"2023-11-14T11:00:00+01:00","ceremony_at":"2023-11-14T12:00:00+01:00","categories":[{"id":"c","name":"C","criteria":[{"id":"k","name":"K","weight":1,"min":-1.7e308,"max":1.7e308}]}]}`), 422},
		} {
			statuses := burst(32, func(int) (int, []byte) { return ts.do(t, req.method, req.path, req.token, req.body) })
			if n := count(statuses, req.status); n != len(statuses) {
				t.Fatalf("%s %s ×32: statuses %v, want all %d", req.method, req.path, statuses, req.status)
			}
		}
		sameState(t, "bursts of refused requests", before, storeState(t, ts.rdb))
	})

	t.Run("one email, many registrations at once", func(t *testing.T) {
		// Duplicate email → 409: of 16 registrations of one email (and its look-alikes) at once,
		// exactly one is created.
		emails := []string{"same@awards.test", "SAME@awards.test", "same@awards.test\u200b", "sаme@awards.test"}
		statuses := burst(16, func(i int) (int, []byte) {
			return ts.do(t, "POST", "/api/v1/auth/register", "", map[string]any{
				"email": emails[i%len(emails)], "password": password, "company": "Same Co", "country": "FR", "startup": false,
			})
		})
		if count(statuses, 201) != 1 || count(statuses, 409) != 15 {
			t.Fatalf("statuses %v, want one 201 and fifteen 409", statuses)
		}
	})

	t.Run("one score body many times at once", func(t *testing.T) {
		// Repeating the same body changes nothing (same version), also 16 at once.
		body := map[string]any{"scores": map[string]float64{"innovation": 6, "impact": 2}, "comment": "steady"}
		versions := make([]int, 16)
		var mu sync.Mutex
		statuses := burst(16, func(i int) (int, []byte) {
			status, out := ts.do(t, "PUT", "/api/v1/entries/"+e+"/scores/me", j.Token, body)
			var sc struct {
				Version int `json:"version"`
			}
			_ = json.Unmarshal(out, &sc)
			mu.Lock()
			versions[i] = sc.Version
			mu.Unlock()
			return status, out
		})
		if count(statuses, 200) != 16 {
			t.Fatalf("statuses %v, want all 200", statuses)
		}
		for _, v := range versions {
			if v != versions[0] {
				t.Fatalf("versions %v: one body gave several versions", versions)
			}
		}
	})

	t.Run("entries past the cap at once", func(t *testing.T) {
		// ≤ 20 entries per exhibitor, also when 40 arrive at once.
		y := ts.exhibitor(t, "Spam Ltd")
		statuses := burst(40, func(i int) (int, []byte) {
			return ts.do(t, "POST", "/api/v1/entries", y.Token, entryBody(catCSR, fmt.Sprintf("Spam %d", i)))
		})
		if count(statuses, 201) != 20 || count(statuses, 422) != 20 {
			t.Fatalf("statuses %v, want twenty 201 and twenty 422", statuses)
		}
	})
}
