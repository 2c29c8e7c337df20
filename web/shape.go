package web

import "unicode/utf8"

// MaxDepth is how deeply a request body may nest arrays and objects (deeper → 400): our
// bodies need four levels, and a bound keeps every later pass linear in the body's size.
const MaxDepth = 32

// checkShape refuses, in one linear pass and before any other work, a body that is not
// UTF-8, that escapes a lone UTF-16 surrogate (which decoding would silently replace), or
// that nests deeper than MaxDepth. It does not check the JSON grammar: the decoder does.
func checkShape(body []byte) error {
	if !utf8.Valid(body) {
		return errInvalidUTF8
	}
	depth, inString := 0, false
	for i := 0; i < len(body); i++ {
		c := body[i]
		if inString {
			switch c {
			case '"':
				inString = false
			case '\\':
				n, err := escapeLen(body[i:])
				if err != nil {
					return err
				}
				i += n - 1
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '[', '{':
			if depth++; depth > MaxDepth {
				return errTooDeep
			}
		case ']', '}':
			depth--
		}
	}
	return nil
}

var (
	errInvalidUTF8 = badRequest("invalid_utf8", "the body is not valid UTF-8 (or escapes a lone UTF-16 surrogate)")
	errTooDeep     = badRequest("too_deep", "the body nests arrays and objects more than 32 levels deep")
)

// escapeLen returns the length of the escape at the start of s (a backslash and what
// follows), refusing a \u escape of a surrogate that is not a high one followed by a low one.
// A malformed escape is the decoder's to report, so it counts as two bytes.
func escapeLen(s []byte) (int, error) {
	u, ok := hex4(s)
	switch {
	case !ok:
		return min(2, len(s)), nil
	case u >= 0xDC00 && u <= 0xDFFF:
		return 0, errInvalidUTF8
	case u >= 0xD800 && u <= 0xDBFF:
		if lo, ok := hex4(s[6:]); !ok || lo < 0xDC00 || lo > 0xDFFF {
			return 0, errInvalidUTF8
		}
		return 12, nil
	}
	return 6, nil
}

// hex4 reads `\uXXXX` at the start of s.
func hex4(s []byte) (rune, bool) {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return 0, false
	}
	var r rune
	for _, c := range s[2:6] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
