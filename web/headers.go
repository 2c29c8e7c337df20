package web

import "github.com/gin-gonic/gin"

// securityHeaders sets on every response (errors, unknown routes and panics included) the
// headers that stop a browser from sniffing a type, framing a page or sending our URLs as a
// referrer. A route may override X-Frame-Options with frameOptions.
func securityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		c.Next()
	}
}

// frameOptions overrides X-Frame-Options for one route: "SAMEORIGIN" for a page that our own
// pages may frame (the ceremony screen); every other response is "DENY".
func frameOptions(value string) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Header("X-Frame-Options", value)
		c.Next()
	}
}
