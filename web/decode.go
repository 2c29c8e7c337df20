package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// MaxBody is the largest request body accepted: over 1 MiB → 413 (docs/api.md, Limits).
const MaxBody = 1 << 20

// decode reads the JSON body into v strictly: over MaxBody → 413, not JSON or an unknown
// field → 400, a value of the wrong type → 422 naming the field. It answers the error itself
// and reports whether the handler may go on.
func (s *Server) decode(c *gin.Context, v any) bool {
	if err := decodeJSON(c.Writer, c.Request, v); err != nil {
		s.writeError(c, err)
		return false
	}
	return true
}

func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	return decodeBody(body, v)
}

// readBody reads a request body of at most MaxBody bytes (else 413) that is not empty.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, errTooLarge
	}
	if err != nil {
		return nil, malformed("the request body could not be read")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, malformed("a JSON body is required")
	}
	return body, nil
}

// decodeBody is decodeJSON's work on a body readBody read.
func decodeBody(body []byte, v any) error {
	if err := checkShape(body); err != nil {
		return err
	}
	if err := checkKeys(body, reflect.TypeOf(v)); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if dec.More() {
		return malformed("the body must hold one JSON value")
	}
	var extra json.RawMessage
	if err := dec.Decode(&extra); err != io.EOF {
		return malformed("the body must hold one JSON value")
	}
	return nil
}

func decodeError(err error) error {
	var typ *json.UnmarshalTypeError
	var syn *json.SyntaxError
	var tp *time.ParseError
	switch {
	case errors.As(err, &tp):
		return unprocessable("invalid_time", "times must be RFC 3339 with an offset, such as 2023-11-14T14:00:00+01:00")
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return malformed("the body must be a JSON object")
		}
		return unprocessable("invalid_type", "%s must be %s", field, jsonType(typ.Type.Kind().String()))
	case errors.As(err, &syn), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return malformed("the body is not valid JSON")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return badRequest("unknown_field", "unknown field "+strings.TrimPrefix(err.Error(), "json: unknown field "))
	}
	return malformed("the body is not valid JSON: " + err.Error())
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "a boolean"
	case "slice", "array":
		return "a list"
	case "map", "struct", "ptr":
		return "an object"
	}
	return "a number"
}
