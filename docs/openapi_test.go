package docs

import (
	"context"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

func TestOpenAPI_Validate(t *testing.T) {
	// The document loads (every $ref resolves) and is a valid OpenAPI 3.1 document, examples
	// checked against their schemas.
	for name, load := range map[string]func() ([]byte, error){
		"yaml": func() ([]byte, error) { return OpenAPIYAML, nil },
		"json": OpenAPIJSON,
	} {
		t.Run(name, func(t *testing.T) {
			b, err := load()
			if err != nil {
				t.Fatal(err)
			}
			doc, err := openapi3.NewLoader().LoadFromData(b)
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			if !doc.IsOpenAPI31OrLater() {
				t.Fatalf("openapi %q, want 3.1", doc.OpenAPI)
			}
			if err := doc.Validate(context.Background(), openapi3.EnableMultiError()); err != nil {
				t.Fatalf("validate: %v", err)
			}
		})
	}
}
