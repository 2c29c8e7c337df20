// Package web is the HTTP face of awards: the Gin router, its handlers, the one error table,
// metrics and (later) the live feed and pages.
package web

import (
	"crypto/sha256"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/awards-dev/awards/auth"
	"github.com/awards-dev/awards/judging"
)

// Deps is what a Server is built from.
type Deps struct {
	Service        *judging.Service
	Tokens         *auth.Tokens
	Logger         *slog.Logger
	Idempotency    Idempotency          // nil: Idempotency-Key headers are ignored
	Registry       *prometheus.Registry // nil: a new one
	TrustedProxies []string             // CIDRs whose X-Forwarded-For is believed
	MetricsToken   string               // "": /metrics is open; else it needs this bearer token
}

// Server answers the HTTP API that docs/openapi.yaml describes (and docs/api.md explains).
type Server struct {
	judging *judging.Service
	tokens  *auth.Tokens
	auth    *auth.Middleware
	idem    Idempotency
	log     *slog.Logger
	reg     *prometheus.Registry
	metrics *metrics
	scrape  []byte     // SHA-256 of the metrics token; nil: /metrics is open
	doc     openAPIDoc // GET /api/v1/openapi.json
	engine  *gin.Engine
}

// ScreenTokenTTL is how long a ceremony display's token lasts: set up days ahead, it must
// not expire during the show.
const ScreenTokenTTL = 30 * 24 * time.Hour

// New builds the router.
func New(d Deps) (*Server, error) {
	s := &Server{judging: d.Service, tokens: d.Tokens, log: d.Logger, reg: d.Registry, idem: d.Idempotency}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.reg == nil {
		s.reg = prometheus.NewRegistry()
	}
	m, err := newMetrics(s.reg)
	if err != nil {
		return nil, err
	}
	s.metrics = m
	if s.doc, err = newOpenAPIDoc(); err != nil {
		return nil, err
	}
	if d.MetricsToken != "" {
		sum := sha256.Sum256([]byte(d.MetricsToken))
		s.scrape = sum[:]
	}
	s.auth = auth.NewMiddleware(d.Tokens, d.Service, s.writeError)
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	if err := e.SetTrustedProxies(d.TrustedProxies); err != nil {
		return nil, err
	}
	e.HandleMethodNotAllowed = true
	e.Use(securityHeaders(), s.metrics.middleware(), s.accessLog(), s.recovery())
	e.NoRoute(func(c *gin.Context) { s.writeError(c, judging.ErrNotFound) })
	e.NoMethod(func(c *gin.Context) { s.writeError(c, errNoMethod) })
	s.engine = e
	s.routes()
	return s, nil
}

// Handler is the whole service.
func (s *Server) Handler() http.Handler { return s.engine }

// routes lists every route on one screen: path, roles, handler.
func (s *Server) routes() {
	e := s.engine
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", s.metricsHandler())

	var (
		admin     = s.auth.Require(judging.RoleAdmin)
		judge     = s.auth.Require(judging.RoleJudge)
		exhibitor = s.auth.Require(judging.RoleExhibitor)
		staff     = s.auth.Require(judging.RoleAdmin, judging.RoleJudge, judging.RoleExhibitor)
		owner     = s.auth.Require(judging.RoleAdmin, judging.RoleExhibitor)
	)
	api := e.Group("/api/v1", s.auth.Authenticate(), s.idempotent())
	api.GET("/openapi.json", s.openAPI)

	// The score write confirms the judge's account inside its one atomic store call
	// (judging.Service.SubmitScore), so its route verifies the token only.
	confirmsItself := e.Group("/api/v1", s.auth.AuthenticateClaimed(), s.idempotent())
	api.POST("/auth/register", s.register)
	api.POST("/auth/login", s.login)
	api.POST("/auth/invite", s.acceptInvite)

	api.GET("/programme", s.getProgramme)
	api.PUT("/programme", admin, s.putProgramme)

	api.POST("/entries", exhibitor, s.createEntry)
	api.GET("/entries", staff, s.listEntries)
	api.GET("/entries/:id", staff, s.getEntry)
	api.PUT("/entries/:id", owner, s.updateEntry)
	api.POST("/entries/:id/submit", exhibitor, s.submitEntry)
	api.POST("/entries/:id/recuse", judge, s.recuse)
	confirmsItself.PUT("/entries/:id/scores/me", judge, s.putMyScore)
	api.GET("/entries/:id/scores", admin, s.entryScores)

	api.POST("/judges", admin, s.createJudge)
	api.GET("/judges", admin, s.listJudges)
	api.POST("/judges/:id/invite", admin, s.reinvite)
	api.POST("/assignments/auto", admin, s.autoAssign)
	api.POST("/assignments", admin, s.addAssignment)
	api.DELETE("/assignments", admin, s.removeAssignment)
	api.GET("/judge/queue", judge, s.queue)

	api.GET("/results", s.results)
	api.GET("/results.csv", admin, s.resultsCSV)
	api.GET("/ceremony", s.ceremony)
	api.POST("/ceremony/reveal", admin, s.reveal)
	api.GET("/audit.csv", admin, s.auditCSV)
	api.GET("/audit/verify", admin, s.verifyAudit)
	api.POST("/screens", admin, s.createScreen)
	api.GET("/screens", admin, s.listScreens)
	api.DELETE("/screens/:id", admin, s.deleteScreen)
}

// accessLog logs each request at debug level (info would drown a show's traffic), by route
// pattern so that no token or id from the path reaches the logs.
func (s *Server) accessLog() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		if s.log.Enabled(c.Request.Context(), slog.LevelDebug) {
			s.log.Debug("request", "method", c.Request.Method, "route", c.FullPath(), "status", c.Writer.Status(),
				"duration_ms", float64(time.Since(start).Microseconds())/1000, "client", c.ClientIP())
		}
	}
}

// recovery answers a panicking handler with a 500 internal error, logged once.
func (s *Server) recovery() gin.HandlerFunc {
	return gin.CustomRecovery(func(c *gin.Context, v any) {
		s.log.Error("panic", "route", c.FullPath(), "panic", v)
		s.writeError(c, nil)
	})
}

func (s *Server) healthz(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) }

func (s *Server) readyz(c *gin.Context) {
	if err := s.judging.Ping(c.Request.Context()); err != nil {
		s.log.Warn("not ready", "err", err)
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}
