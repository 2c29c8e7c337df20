package web

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
)

// byteOrderMark starts every CSV: without it Excel reads the file in the machine's legacy code
// page, and "Sécurité" comes out as "SÃ©curitÃ©".
const byteOrderMark = "\uFEFF"

// writeCSV answers text/csv as a spreadsheet opens it right: UTF-8 with a byte-order mark, CRLF
// line ends (RFC 4180). Cells a spreadsheet would run as a formula (= + - @ first) get a
// leading apostrophe: titles and comments come from users.
func writeCSV(c *gin.Context, name string, rows [][]string) {
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Header("Cache-Control", "no-store")
	c.Status(http.StatusOK)
	_, _ = c.Writer.WriteString(byteOrderMark)
	w := csv.NewWriter(c.Writer)
	w.UseCRLF = true
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

// formatFloat writes the shortest decimal that reads back as exactly f: exports lose nothing.
func formatFloat(f float64) string {
	if f == 0 {
		return "0"
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// optional is formatFloat(f), or "" when !ok.
func optional(ok bool, f float64) string {
	if !ok {
		return ""
	}
	return formatFloat(f)
}

func deref(f *float64) float64 {
	if f == nil {
		return 0
	}
	return *f
}
