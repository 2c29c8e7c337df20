package judging

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckText(t *testing.T) {
	for _, tc := range []struct {
		name      string
		in        string
		max       int
		multiline bool
		want      string // the cleaned text when code is ""
		code      string
	}{
		{"plain text is kept as it is", "Argonce Cyber", 200, false, "Argonce Cyber", ""},
		{"NUL is a control character → 422", "Argonce\x00Cyber", 200, false, "", "invalid_text"},
		{"ESC is a control character → 422", "\x1b[31mred", 200, false, "", "invalid_text"},
		{"DEL is a control character → 422", "del\x7f", 200, false, "", "invalid_text"},
		{"a C1 control (U+0085) is a control character → 422", "next\u0085line", 200, false, "", "invalid_text"},
		{"a newline in a one-line field → 422", "two\nlines", 200, false, "", "invalid_text"},
		{"a tab in a one-line field → 422", "a\tb", 200, false, "", "invalid_text"},
		{"newline and tab are fine in long text", "one\n\ttwo\n", 200, true, "one\n\ttwo\n", ""},
		{"CRLF in long text becomes LF", "one\r\ntwo\r\n", 200, true, "one\ntwo\n", ""},
		{"a lone CR in long text → 422", "one\rtwo", 200, true, "", "invalid_text"},
		{"NUL in long text → 422", "one\n\x00", 200, true, "", "invalid_text"},
		{"invalid UTF-8 → 422", "caf\xe9", 200, true, "", "invalid_text"},
		{"an invisible but non-control character is not refused here", "Argonce\u200b", 200, false, "Argonce\u200b", ""},
		{"the limit itself is fine", strings.Repeat("x", 200), 200, false, strings.Repeat("x", 200), ""},
		{"one character over the limit → 422", strings.Repeat("x", 201), 200, false, "", "too_long"},
		{"lengths are characters, not bytes", strings.Repeat("é", 200), 200, false, strings.Repeat("é", 200), ""},
		{"CRLF counts as one character once normalised", strings.Repeat("\r\n", 200), 200, true, strings.Repeat("\n", 200), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.in
			err := checkText("title", &s, tc.max, tc.multiline)
			if tc.code == "" {
				if err != nil {
					t.Fatalf("checkText(%+q) = %v, want nil", tc.in, err)
				}
				if s != tc.want {
					t.Fatalf("checkText(%+q) left %+q, want %+q", tc.in, s, tc.want)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindInvalid || e.Code != tc.code {
				t.Fatalf("checkText(%+q) = %v, want a 422 %q", tc.in, err, tc.code)
			}
			if !strings.Contains(e.Message, "title") {
				t.Fatalf("message %q does not name the field", e.Message)
			}
		})
	}
}
