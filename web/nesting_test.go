package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
)

// nested returns {"<key>":[[[…]]]} of exactly size bytes (or one under, for an odd middle),
// as deep as that size allows: the shape that once cost the square of its depth.
func nested(key string, size int) []byte {
	head := `{"` + key + `":`
	depth := (size - len(head) - 1) / 2
	return []byte(head + strings.Repeat("[", depth) + strings.Repeat("]", depth) + "}")
}

// allocated returns the bytes f allocates on the heap.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestDecodeJSON_Nesting(t *testing.T) {
	t.Run("ErrTooDeep answered in linear memory", func(t *testing.T) {
		// JSON nested deeper than 32 levels → 400, before any per-level work: every body up to
		// 1 MiB, whatever its shape, costs memory in proportion to its size.
		for _, size := range []int{80 << 10, 512 << 10, MaxBody} {
			body := nested("email", size)
			var err error
			got := allocated(func() {
				r := httptest.NewRequest("POST", "/", strings.NewReader(string(body)))
				err = decodeJSON(httptest.NewRecorder(), r, new(loginRequest))
			})
			var e *requestError
			if !errors.As(err, &e) || e.Status != http.StatusBadRequest || e.Code != "too_deep" {
				t.Fatalf("%d bytes: decode = %v, want 400 too_deep", size, err)
			}
			// Reading the body into a growing buffer costs a few times its size; 8× is room
			// for that and nothing per level.
			if limit := uint64(8*size + 1<<20); got > limit {
				t.Fatalf("%d bytes of nesting allocated %d bytes, want at most %d", size, got, limit)
			}
		}
	})

	t.Run("OK 32 levels", func(t *testing.T) {
		// Nesting up to 32 levels is JSON like any other: here a type error, not too_deep.
		body := `{"links":` + strings.Repeat("[", 31) + strings.Repeat("]", 31) + `}`
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		err := decodeJSON(httptest.NewRecorder(), r, new(entryRequest))
		var e *requestError
		if errors.As(err, &e) && e.Code == "too_deep" {
			t.Fatalf("32 levels refused as too deep: %v", err)
		}
	})

	t.Run("ErrTooDeep 33 levels", func(t *testing.T) {
		// JSON nested deeper than 32 levels → 400.
		body := `{"links":` + strings.Repeat("[", 32) + strings.Repeat("]", 32) + `}`
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		err := decodeJSON(httptest.NewRecorder(), r, new(entryRequest))
		var e *requestError
		if !errors.As(err, &e) || e.Code != "too_deep" {
			t.Fatalf("33 levels: decode = %v, want 400 too_deep", err)
		}
	})

	t.Run("ErrTooDeep brackets inside strings do not count", func(t *testing.T) {
		// Only structure counts: a title of 1,000 brackets is a title.
		body := `{"category_id":"csr","title":"` + strings.Repeat(`[{\"`, 300) + `"}`
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		if err := decodeJSON(httptest.NewRecorder(), r, new(entryRequest)); err != nil {
			t.Fatalf("decode = %v, want it accepted", err)
		}
	})
}

func TestDecode_NestingOverHTTP(t *testing.T) {
	ts := newTestServer(t)
	x := ts.exhibitor(t, "Deep Co")
	for _, tc := range []struct {
		name, path, token string
	}{
		// An unauthenticated 1 MiB body of maximal nesting to POST /auth/login → 400.
		{"ErrTooDeep login", "/api/v1/auth/login", ""},
		// … and to POST /entries, which once got the process OOM-killed.
		{"ErrTooDeep entries", "/api/v1/entries", x.Token},
		{"ErrTooDeep register", "/api/v1/auth/register", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := ts.do(t, "POST", tc.path, tc.token, nested("title", MaxBody))
			if status != http.StatusBadRequest {
				t.Fatalf("POST %s = %d %.200s, want 400", tc.path, status, body)
			}
			if code, _ := errorOf(t, body); code != "too_deep" {
				t.Fatalf("code = %q, want too_deep", code)
			}
		})
	}
}

func TestDecode_InvalidUTF8(t *testing.T) {
	ts := newTestServer(t)
	x := ts.exhibitor(t, "Bytes Co")
	for _, tc := range []struct {
		name string
		body string
		want int
	}{
		// Invalid UTF-8 → 400, never silently replaced.
		{"ErrInvalidUTF8 a stray byte in a title", "{\"category_id\":\"csr\",\"title\":\"caf\xe9\"}", http.StatusBadRequest},
		{"ErrInvalidUTF8 a cut sequence", "{\"category_id\":\"csr\",\"title\":\"\xe2\x82\"}", http.StatusBadRequest},
		{"ErrInvalidUTF8 an overlong encoding", "{\"category_id\":\"csr\",\"title\":\"\xc0\xaf\"}", http.StatusBadRequest},
		// An escaped lone surrogate is no character either: 400.
		{"ErrInvalidUTF8 a lone high surrogate", `{"category_id":"csr","title":"a\ud800b"}`, http.StatusBadRequest},
		{"ErrInvalidUTF8 a lone low surrogate", `{"category_id":"csr","title":"\udc00"}`, http.StatusBadRequest},
		{"ErrInvalidUTF8 a high surrogate before another high", `{"category_id":"csr","title":"\ud800\ud800"}`, http.StatusBadRequest},
		// Real characters, raw or escaped, are fine.
		{"OK an escaped pair", `{"category_id":"csr","title":"drone \ud83d\ude81"}`, http.StatusCreated},
		{"OK raw UTF-8", `{"category_id":"csr","title":"Sécurité \u00e9 🚁"}`, http.StatusCreated},
		{"OK an escaped backslash before u", `{"category_id":"csr","title":"C:\\ud800"}`, http.StatusCreated},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := ts.do(t, "POST", "/api/v1/entries", x.Token, []byte(tc.body))
			if status != tc.want {
				t.Fatalf("POST /entries %q = %d %.200s, want %d", tc.body, status, body, tc.want)
			}
			if status == http.StatusBadRequest {
				if code, _ := errorOf(t, body); code != "invalid_utf8" {
					t.Fatalf("code = %q, want invalid_utf8", code)
				}
			}
		})
	}
}

// refDepth is the nesting depth of valid JSON, by encoding/json's tokenizer.
func refDepth(body []byte) int {
	dec := json.NewDecoder(bytes.NewReader(body))
	depth, deepest := 0, 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return deepest
		}
		switch tok {
		case json.Delim('['), json.Delim('{'):
			depth++
			deepest = max(deepest, depth)
		case json.Delim(']'), json.Delim('}'):
			depth--
		}
	}
}

// FuzzCheckShape holds checkShape to encoding/json: on valid UTF-8 JSON it says too_deep
// exactly when the tokenizer finds more than MaxDepth levels, and it never panics.
func FuzzCheckShape(f *testing.F) {
	for _, s := range []string{`{}`, `[[[]]]`, `{"a":"[[[["}`, `{"a":"\"[["}`, `"\\"`, `{"a":"\ud800\udc00"}`,
		`{"a":` + strings.Repeat("[", 33) + strings.Repeat("]", 33) + `}`, strings.Repeat("[", 32) + strings.Repeat("]", 32)} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		err := checkShape(body)
		if !json.Valid(body) || errors.Is(err, errInvalidUTF8) {
			return
		}
		if deep := refDepth(body) > MaxDepth; deep != errors.Is(err, errTooDeep) {
			t.Fatalf("checkShape(%q) = %v, but the depth is %d", body, err, refDepth(body))
		}
	})
}

// BenchmarkDecodeJSON_Nested measures the answer to a 1 MiB body of maximal nesting: one
// linear pass, then 400.
func BenchmarkDecodeJSON_Nested(b *testing.B) {
	body := string(nested("email", MaxBody))
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		if err := decodeJSON(httptest.NewRecorder(), r, new(loginRequest)); err == nil {
			b.Fatal("accepted")
		}
	}
}
