package web

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/awards-dev/awards/judging"
)

// generalScoreBody is the general path of decodeScoreBody, for a body readBody accepted.
func generalScoreBody(body []byte) (judging.ScoreInput, error) {
	var req scoreRequest
	if err := decodeBody(body, &req); err != nil {
		return judging.ScoreInput{}, err
	}
	return req.input()
}

// checkPlainAgrees fails t if readScoreBody takes body and the general path does not give
// the same input; it reports whether readScoreBody took it.
func checkPlainAgrees(t *testing.T, body []byte) bool {
	t.Helper()
	plain, ok := readScoreBody(body)
	if !ok {
		return false
	}
	general, err := generalScoreBody(body)
	if err != nil {
		t.Fatalf("%q: the plain reader took it, the general path refuses it: %v", body, err)
	}
	if diff := cmp.Diff(general, plain); diff != "" {
		t.Fatalf("%q: (-general +plain):\n%s", body, diff)
	}
	return true
}

func TestReadScoreBody(t *testing.T) {
	// PUT /entries/{id}/scores/me {scores, comment}: the plain reader takes the bodies judges'
	// screens send and gives what the general decoder gives; it leaves every other body (and
	// so every error) to the general decoder.
	tests := []struct {
		body  string
		plain bool
	}{
		{`{"scores":{"innovation":7,"impact":4},"comment":"solid work"}`, true},
		{`{"comment":"solid","scores":{"impact":4,"innovation":7}}`, true},
		{" \r\n\t{ \"scores\" : { \"innovation\" : 7.25 , \"impact\" : -0 } , \"comment\" : \"\" } \n", true},
		{`{"scores":{"a":1e2,"b":1E-2,"c":0.5,"d":-12.75e+1,"e":5e-324,"f":1.7976931348623157e308}}`, true},
		{`{"scores":{"innovation":7},"comment":"été, 日本, ` + "\u2028" + `, emoji 🎉"}`, true},
		{`{"scores":{}}`, true},
		{`{}`, true},
		{`{"comment":"only a comment"}`, true},
		{`{"scores":{"":1}}`, true},

		{`{"scores":{"innovation":7,"impact":null}}`, false},                    // null: missing
		{`{"scores":{"innovation":"7"}}`, false},                                // a string mark
		{`{"scores":{"innovation":true}}`, false},                               // a boolean mark
		{`{"scores":{"innovation":{"a":1}}}`, false},                            // an object mark
		{`{"scores":{"innovation":[7]}}`, false},                                // a list mark
		{`{"scores":{"innovation":1e400}}`, false},                              // out of float64's range
		{`{"scores":{"innovation":07}}`, false},                                 // a leading zero
		{`{"scores":{"innovation":7.}}`, false},                                 // no digit after the point
		{`{"scores":{"innovation":.5}}`, false},                                 // no digit before it
		{`{"scores":{"innovation":+1}}`, false},                                 // a plus sign
		{`{"scores":{"innovation":1e}}`, false},                                 // an empty exponent
		{`{"scores":{"innovation":NaN}}`, false},                                // not JSON
		{`{"scores":{"innovation":0x10}}`, false},                               // not JSON
		{`{"scores":{"innovation":1,"innovation":2}}`, false},                   // a repeated criterion
		{`{"scores":{"innovation":1},"scores":{"innovation":1}}`, false},        // a repeated field
		{`{"comment":"a","comment":"b"}`, false},                                // a repeated field
		{`{"Scores":{"innovation":1}}`, false},                                  // another case
		{`{"scores":{"innovation":1},"extra":1}`, false},                        // an unknown field
		{`{"scores":{"innovation":1}} {}`, false},                               // two values
		{`{"scores":{"innovation":1}},`, false},                                 // trailing text
		{`{"scores":{"innovation":1},}`, false},                                 // a trailing comma
		{`{"comment":"a \"quote\""}`, false},                                    // an escape
		{`{"comment":"\u00e9"}`, false},                                         // an escape
		{`{"comment":"\ud800"}`, false},                                         // a lone surrogate
		{"{\"comment\":\"tab\there\"}", false},                                  // a raw control character
		{"{\"comment\":\"\xff\"}", false},                                       // invalid UTF-8
		{`{"comment":null}`, false},                                             // null
		{`{"comment":5}`, false},                                                // not a string
		{`{"scores":null}`, false},                                              // null
		{`{"scores":[]}`, false},                                                // not an object
		{`{"scores":{"innovation":1}`, false},                                   // unterminated
		{`{"comment":"unterminated}`, false},                                    // unterminated
		{`[]`, false},                                                           // not an object
		{`null`, false},                                                         // not an object
		{`"scores"`, false},                                                     // not an object
		{`{"scores":{"in\u006eovation":1}}`, false},                             // an escaped key
		{`{"scores":{"innovation":1,"impact":2}, "comment":"x", "x":1}`, false}, // an unknown field last
	}
	for _, tt := range tests {
		if got := checkPlainAgrees(t, []byte(tt.body)); got != tt.plain {
			t.Errorf("%q: taken by the plain reader %v, want %v", tt.body, got, tt.plain)
		}
	}
}

// FuzzReadScoreBody checks that whatever the plain reader takes, the general decoder takes
// too, giving the same input.
func FuzzReadScoreBody(f *testing.F) {
	for _, s := range []string{
		`{"scores":{"innovation":7,"impact":4},"comment":"solid work"}`,
		`{"comment":"","scores":{"a":-0.5e-3,"b":1E+2}}`,
		`{"scores":{"innovation":7,"impact":null}}`,
		`{"scores":{"innovation":1,"innovation":2}}`,
		`{"Scores":{"innovation":1}}`,
		`{"comment":"\ud83c\udf89"}`,
		`{"scores":{"x":1e400}}`,
		` { } `,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		checkPlainAgrees(t, body)
	})
}
