package web

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/awards-dev/awards/auth"
	"github.com/awards-dev/awards/judging"
)

func (s *Server) verifyAudit(c *gin.Context) {
	res, err := s.judging.VerifyAudit(c.Request.Context(), auth.ActorFrom(c))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

func (s *Server) auditCSV(c *gin.Context) {
	rows, err := s.judging.AuditExport(c.Request.Context(), auth.ActorFrom(c))
	if err != nil {
		s.writeError(c, err)
		return
	}
	writeCSV(c, "audit.csv", auditTable(rows))
}

// auditTable lays out the audit export: a header, then one line per record.
func auditTable(rows []judging.AuditExportRow) [][]string {
	out := [][]string{{"seq", "at", "by", "action", "reason", "category_id", "entry_id", "judge_id", "version", "old_total", "new_total", "scores", "comment", "hash"}}
	for _, r := range rows {
		line := make([]string, 14)
		if r.Seq > 0 {
			line[0] = strconv.FormatInt(r.Seq, 10)
		}
		if !r.At.IsZero() {
			line[1] = r.At.Format("2006-01-02T15:04:05.000Z07:00")
		}
		line[2], line[3], line[4], line[5], line[6], line[7] = r.By, r.Action, r.Reason, r.CategoryID, r.EntryID, r.JudgeID
		if r.Version > 0 {
			line[8] = strconv.Itoa(r.Version)
		}
		if r.Old != nil {
			line[9] = formatFloat(r.Old.Total)
		}
		if r.New != nil {
			line[10] = formatFloat(r.New.Total)
			b, _ := json.Marshal(r.New.Scores) // finite floats: decoded from JSON
			line[11], line[12] = string(b), r.New.Comment
		}
		line[13] = r.Hash
		out = append(out, line)
	}
	return out
}
