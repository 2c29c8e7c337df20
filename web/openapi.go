package web

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/awards-dev/awards/docs"
)

// openAPIDoc is the OpenAPI document as served: JSON converted once from docs/openapi.yaml,
// and its entity tag.
type openAPIDoc struct {
	body []byte
	etag string
}

func newOpenAPIDoc() (openAPIDoc, error) {
	b, err := docs.OpenAPIJSON()
	if err != nil {
		return openAPIDoc{}, err
	}
	sum := sha256.Sum256(b)
	return openAPIDoc{body: b, etag: `"` + hex.EncodeToString(sum[:16]) + `"`}, nil
}

// openAPI serves the document to anyone, cacheable: it changes only with the binary, so a
// client revalidates with If-None-Match and gets a 304 while it is the same.
func (s *Server) openAPI(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=300")
	c.Header("ETag", s.doc.etag)
	if etagMatches(c.GetHeader("If-None-Match"), s.doc.etag) {
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", s.doc.body)
}

// etagMatches reports whether an If-None-Match header names etag (weakly, as RFC 9110 has it
// for GET), or is "*".
func etagMatches(header, etag string) bool {
	for t := range strings.SplitSeq(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}
