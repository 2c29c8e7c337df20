package web

import (
	"encoding/csv"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/awards-dev/awards/auth"
)

func (s *Server) results(c *gin.Context) {
	r, err := s.judging.Results(c.Request.Context(), auth.ActorFrom(c))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, r)
}

func (s *Server) resultsCSV(c *gin.Context) {
	rows, err := s.judging.ResultsCSV(c.Request.Context(), auth.ActorFrom(c))
	if err != nil {
		s.writeError(c, err)
		return
	}
	writeCSV(c, "results.csv", rows)
}

func (s *Server) auditCSV(c *gin.Context) {
	rows, err := s.judging.AuditCSV(c.Request.Context(), auth.ActorFrom(c))
	if err != nil {
		s.writeError(c, err)
		return
	}
	writeCSV(c, "audit.csv", rows)
}

// writeCSV answers text/csv. Cells a spreadsheet would run as a formula (= + - @ first) get a
// leading apostrophe: titles come from exhibitors.
func writeCSV(c *gin.Context, name string, rows [][]string) {
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Header("Cache-Control", "no-store")
	c.Status(http.StatusOK)
	w := csv.NewWriter(c.Writer)
	for _, r := range rows {
		for i, cell := range r {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) && !isNumber(cell) {
				r[i] = "'" + cell
			}
		}
		_ = w.Write(r)
	}
	w.Flush()
}

func isNumber(s string) bool {
	for i, r := range s {
		if !(r >= '0' && r <= '9' || r == '.' || (i == 0 && r == '-')) {
			return false
		}
	}
	return true
}

func (s *Server) verifyAudit(c *gin.Context) {
	res, err := s.judging.VerifyAudit(c.Request.Context(), auth.ActorFrom(c))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

func (s *Server) ceremony(c *gin.Context) {
	st, err := s.judging.Ceremony(c.Request.Context())
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, st)
}

type revealRequest struct {
	CategoryID string `json:"category_id"`
	Step       bool   `json:"step"`
}

func (s *Server) reveal(c *gin.Context) {
	var req revealRequest
	if !s.decode(c, &req) {
		return
	}
	res, err := s.judging.Reveal(c.Request.Context(), auth.ActorFrom(c), req.CategoryID, req.Step)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}
