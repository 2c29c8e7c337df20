package web

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/awards-dev/awards/judging"
)

func TestDecodeJSON_StrictKeys(t *testing.T) {
	for _, tc := range []struct {
		name string
		into func() any
		body string
		code string // "" when the body is accepted
	}{
		{"400 unknown field: a key that matches only when case is ignored", func() any { return new(entryRequest) },
			`{"category_id":"c","Title":"t"}`, "unknown_field"},
		{"400 unknown field: a key given twice is ambiguous", func() any { return new(entryRequest) },
			`{"category_id":"c","title":"a","title":"b"}`, "duplicate_field"},
		{"400 unknown field: nested in the programme's criteria", func() any { return new(judging.Programme) },
			`{"name":"n","categories":[{"id":"a","criteria":[{"id":"x","WEIGHT":1}]}]}`, "unknown_field"},
		{"400: a criterion marked twice", func() any { return new(scoreRequest) },
			`{"scores":{"x":1,"x":2}}`, "duplicate_field"},
		{"criterion ids are map keys: any spelling is the programme's to judge", func() any { return new(scoreRequest) },
			`{"scores":{"X":1,"x":2},"comment":"c"}`, ""},
		{"times are decoded by their own rules", func() any { return new(judging.Programme) },
			`{"name":"n","ceremony_at":"2023-11-14T14:00:00+01:00","categories":[]}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", strings.NewReader(tc.body))
			err := decodeJSON(httptest.NewRecorder(), r, tc.into())
			if tc.code == "" {
				if err != nil {
					t.Fatalf("decode: %v, want it accepted", err)
				}
				return
			}
			var e *requestError
			if !errors.As(err, &e) || e.Code != tc.code || e.Status != http.StatusBadRequest {
				t.Fatalf("decode: %v, want 400 %s", err, tc.code)
			}
		})
	}
}
