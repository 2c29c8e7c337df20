package web

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/awards-dev/awards/auth"
	"github.com/awards-dev/awards/judging"
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
	r, err := s.judging.ResultsExport(c.Request.Context(), auth.ActorFrom(c))
	if err != nil {
		s.writeError(c, err)
		return
	}
	writeCSV(c, "results.csv", resultsTable(r))
}

// resultsTable lays out the results export: a header, then one line per entry with a mean
// column per criterion, empty where its category has no such criterion or no judge counts.
func resultsTable(r judging.ResultsExport) [][]string {
	header := []string{"category_id", "category", "rank", "tie", "entry_id", "title", "company", "country", "startup"}
	for _, k := range r.Criteria {
		header = append(header, "mean_"+k)
	}
	out := [][]string{append(header, "score", "judges")}
	for _, e := range r.Rows {
		row := []string{e.CategoryID, e.Category, "", strconv.FormatBool(e.Tie), e.EntryID, e.Title, e.Company, e.Country, strconv.FormatBool(e.Startup)}
		if e.Rank > 0 {
			row[2] = strconv.Itoa(e.Rank)
		}
		for _, k := range r.Criteria {
			v, ok := e.Means[k]
			row = append(row, optional(ok, v))
		}
		row = append(row, optional(e.Score != nil, deref(e.Score)), strconv.Itoa(e.Judges))
		out = append(out, row)
	}
	return out
}
