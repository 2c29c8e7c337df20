package web

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
)

// checkKeys walks a JSON body against the Go type it will be decoded into and refuses what
// encoding/json lets through: a key that matches a field only when case is ignored
// ("Title" for "title") and a key given twice ({"title":"a","title":"b"}). Both are unknown
// or ambiguous fields: 400.
func checkKeys(body []byte, t reflect.Type) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	return walk(dec, t, "")
}

func walk(dec *json.Decoder, t reflect.Type, path string) error {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	tok, err := dec.Token()
	if err != nil {
		return malformed("the body is not valid JSON")
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return nil // a scalar: its type is encoding/json's to check
	}
	switch d {
	case '[':
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) && !isRaw(t) {
			elem = t.Elem()
		}
		for dec.More() {
			if err := walk(dec, elem, path+"[]"); err != nil {
				return err
			}
		}
	case '{':
		seen := map[string]bool{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return malformed("the body is not valid JSON")
			}
			key, _ := kt.(string)
			name := join(path, key)
			if seen[key] {
				return badRequest("duplicate_field", "field "+name+" appears twice")
			}
			seen[key] = true
			var next reflect.Type
			switch {
			case t == nil || isRaw(t):
			case t.Kind() == reflect.Map:
				next = t.Elem()
			case t.Kind() == reflect.Struct:
				f, ok := fieldByJSONName(t, key)
				if !ok {
					return badRequest("unknown_field", "unknown field "+name)
				}
				next = f
			}
			if err := walk(dec, next, name); err != nil {
				return err
			}
		}
	}
	if _, err := dec.Token(); err != nil { // the closing delimiter
		return malformed("the body is not valid JSON")
	}
	return nil
}

func join(path, key string) string {
	if path == "" {
		return `"` + key + `"`
	}
	return strings.Trim(path, `"`) + "." + key
}

var rawType = reflect.TypeFor[json.RawMessage]()

// isRaw reports whether values of t are decoded by their own rules (raw JSON, time.Time and
// other Unmarshalers), so their keys are not ours to check.
func isRaw(t reflect.Type) bool {
	return t == rawType || reflect.PointerTo(t).Implements(reflect.TypeFor[json.Unmarshaler]())
}

// fieldByJSONName finds the exported field whose JSON name is exactly key.
func fieldByJSONName(t reflect.Type, key string) (reflect.Type, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if name == key {
			return f.Type, true
		}
	}
	return nil, false
}
