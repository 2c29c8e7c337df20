package web

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/awards-dev/awards/judging"
)

// decodeScoreBody reads PUT /entries/{id}/scores/me's body into the domain's input. A body of
// the plain shape judges' screens send ({"scores":{…numbers…},"comment":"…"}, no escapes, no
// repeated key) is read in one pass by readScoreBody; anything else takes the general path
// (decodeJSON's rules, then scoreRequest.input), which also finds every error. Both give the
// same input for a body the plain reader takes (FuzzReadScoreBody checks it).
func decodeScoreBody(w http.ResponseWriter, r *http.Request) (judging.ScoreInput, error) {
	body, err := readBody(w, r)
	if err != nil {
		return judging.ScoreInput{}, err
	}
	if in, ok := readScoreBody(body); ok {
		return in, nil
	}
	var req scoreRequest
	if err := decodeBody(body, &req); err != nil {
		return judging.ScoreInput{}, err
	}
	return req.input()
}

// readScoreBody reads a score body of the plain shape, or reports that body is not one.
func readScoreBody(body []byte) (judging.ScoreInput, bool) {
	if checkShape(body) != nil {
		return judging.ScoreInput{}, false
	}
	in := judging.ScoreInput{Scores: map[string]float64{}}
	p := plainJSON{b: body}
	var seenScores, seenComment bool
	if !p.object(func(key []byte) bool {
		switch {
		case string(key) == "scores" && !seenScores:
			seenScores = true
			return p.object(func(criterion []byte) bool {
				if _, dup := in.Scores[string(criterion)]; dup {
					return false
				}
				v, ok := p.number()
				in.Scores[string(criterion)] = v
				return ok
			})
		case string(key) == "comment" && !seenComment:
			seenComment = true
			s, ok := p.string()
			in.Comment = string(s)
			return ok
		}
		return false
	}) {
		return judging.ScoreInput{}, false
	}
	p.space()
	if p.i != len(p.b) {
		return judging.ScoreInput{}, false
	}
	return in, true
}

// plainJSON reads the plain subset of JSON a score body uses: objects, strings without
// escapes, numbers. Each method reports false on anything else (null included), leaving the
// body to the general decoder.
type plainJSON struct {
	b []byte
	i int
}

func (p *plainJSON) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// take consumes c after spaces.
func (p *plainJSON) take(c byte) bool {
	p.space()
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

// object reads {"key": value, …}, calling member with each key to read its value.
func (p *plainJSON) object(member func(key []byte) bool) bool {
	if !p.take('{') {
		return false
	}
	if p.take('}') {
		return true
	}
	for {
		key, ok := p.string()
		if !ok || !p.take(':') {
			return false
		}
		p.space()
		if !member(key) {
			return false
		}
		if p.take('}') {
			return true
		}
		if !p.take(',') {
			return false
		}
	}
}

// string reads a string without escapes or control characters (the body is valid UTF-8:
// checkShape said so).
func (p *plainJSON) string() ([]byte, bool) {
	if !p.take('"') {
		return nil, false
	}
	start := p.i
	for p.i < len(p.b) {
		switch c := p.b[p.i]; {
		case c == '"':
			p.i++
			return p.b[start : p.i-1], true
		case c == '\\' || c < 0x20:
			return nil, false
		}
		p.i++
	}
	return nil, false
}

// number reads a JSON number (RFC 8259's grammar, then strconv.ParseFloat as encoding/json
// does); one out of float64's range is left to the general decoder.
func (p *plainJSON) number() (float64, bool) {
	start := p.i
	p.i += skip(p.b[p.i:], "-")
	switch n := digits(p.b[p.i:]); {
	case n == 0:
		return 0, false
	case n > 1 && p.b[p.i] == '0':
		return 0, false
	default:
		p.i += n
	}
	if skip(p.b[p.i:], ".") == 1 {
		n := digits(p.b[p.i+1:])
		if n == 0 {
			return 0, false
		}
		p.i += 1 + n
	}
	if skip(p.b[p.i:], "eE") == 1 {
		p.i++
		p.i += skip(p.b[p.i:], "+-")
		n := digits(p.b[p.i:])
		if n == 0 {
			return 0, false
		}
		p.i += n
	}
	v, err := strconv.ParseFloat(string(p.b[start:p.i]), 64)
	return v, err == nil
}

// skip is 1 if s starts with one of the bytes of set.
func skip(s []byte, set string) int {
	if len(s) > 0 && bytes.IndexByte([]byte(set), s[0]) >= 0 {
		return 1
	}
	return 0
}

// digits counts the ASCII digits s starts with.
func digits(s []byte) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}
