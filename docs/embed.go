// Package docs holds the documents the service serves about itself: the OpenAPI description
// of its HTTP API (openapi.yaml, the one source; docs/api.md beside it says the rules a schema
// cannot).
package docs

import (
	_ "embed"
	"encoding/json"
	"fmt"

	"go.yaml.in/yaml/v3"
)

// OpenAPIYAML is docs/openapi.yaml as written.
//
//go:embed openapi.yaml
var OpenAPIYAML []byte

// OpenAPIJSON returns the OpenAPI document as JSON, for GET /api/v1/openapi.json: converted
// from the YAML source so that there is one document, not two to keep in step.
func OpenAPIJSON() ([]byte, error) {
	var v any
	if err := yaml.Unmarshal(OpenAPIYAML, &v); err != nil {
		return nil, fmt.Errorf("docs: openapi.yaml: %w", err)
	}
	v, err := jsonValue(v)
	if err != nil {
		return nil, fmt.Errorf("docs: openapi.yaml: %w", err)
	}
	return json.Marshal(v)
}

// jsonValue checks that a decoded YAML value is plain JSON: mappings with string keys only
// (a bare 200 as a key would be a number), so that the JSON says what the YAML says.
func jsonValue(v any) (any, error) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			y, err := jsonValue(x)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			v[k] = y
		}
		return v, nil
	case map[any]any:
		return nil, fmt.Errorf("a mapping with a key that is not a string")
	case []any:
		for i, x := range v {
			y, err := jsonValue(x)
			if err != nil {
				return nil, fmt.Errorf("[%d]: %w", i, err)
			}
			v[i] = y
		}
		return v, nil
	}
	return v, nil
}
