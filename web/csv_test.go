package web

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"testing"
)

// readCSV reads an export as a spreadsheet does: it must start with the UTF-8 byte-order mark
// and end every line with CRLF (RFC 4180). It returns the records after the mark.
func readCSV(tb testing.TB, body []byte) [][]string {
	tb.Helper()
	rest, ok := bytes.CutPrefix(body, []byte("\xEF\xBB\xBF"))
	if !ok {
		tb.Fatalf("the CSV does not start with the UTF-8 byte-order mark: %q", body[:min(len(body), 16)])
	}
	if !bytes.HasSuffix(rest, []byte("\r\n")) {
		tb.Fatalf("the CSV's last line does not end with CRLF: %q", rest[max(0, len(rest)-16):])
	}
	for i, c := range rest {
		if c == '\n' && (i == 0 || rest[i-1] != '\r') {
			tb.Fatalf("a bare LF at byte %d: %q", i, rest[max(0, i-16):i+1])
		}
	}
	recs, err := csv.NewReader(bytes.NewReader(rest)).ReadAll() // every record as wide as the header
	if err != nil {
		tb.Fatalf("not CSV: %v", err)
	}
	return recs
}

// column returns the records' cells under header name, keyed by the cells under key.
func column(tb testing.TB, recs [][]string, key, name string) map[string]string {
	tb.Helper()
	k, n := -1, -1
	for i, h := range recs[0] {
		switch h {
		case key:
			k = i
		case name:
			n = i
		}
	}
	if k < 0 || n < 0 {
		tb.Fatalf("header %q lacks %q or %q", recs[0], key, name)
	}
	out := map[string]string{}
	for _, r := range recs[1:] {
		out[r[k]] = r[n]
	}
	return out
}

func TestExports_Spreadsheet(t *testing.T) {
	ts := newTestServer(t)
	x := ts.exhibitor(t, "Sécurité événementielle")
	j := ts.judge(t, nil, catCyber)
	const (
		quoted   = `Drone "Faucon", v2 ; à 360°`
		formula  = `=HYPERLINK("http://evil.example","click")`
		comment  = "Très bien, \"solide\" ;\nà revoir : l'autonomie"
		atSum    = "@SUM(A1:A9)"
		negative = "-5 points for the noise"
	)
	entries := map[string]string{}
	for _, title := range []string{quoted, formula, "Caméra thermique"} {
		entries[title] = ts.submitted(t, x, catCyber, title)
		ts.assign(t, j, entries[title])
	}
	for title, text := range map[string]string{quoted: comment, formula: atSum, "Caméra thermique": negative} {
		ts.must(t, http.StatusOK, "PUT", "/api/v1/entries/"+entries[title]+"/scores/me", j.Token,
			map[string]any{"scores": map[string]float64{"innovation": 7, "impact": 3}, "comment": text})
	}

	t.Run("OK results.csv", func(t *testing.T) {
		// GET /results.csv (admin) → text/csv a spreadsheet opens right: UTF-8 with a byte-order
		// mark, CRLF line ends, every cell read back exactly, formulas neutralised.
		recs := readCSV(t, ts.must(t, http.StatusOK, "GET", "/api/v1/results.csv", ts.admin, nil))
		if got, want := len(recs), 1+len(entries); got != want {
			t.Fatalf("%d records, want a header and %d rows", got, len(entries))
		}
		titles, companies := column(t, recs, "entry_id", "title"), column(t, recs, "entry_id", "company")
		for title, want := range map[string]string{quoted: quoted, formula: "'" + formula, "Caméra thermique": "Caméra thermique"} {
			if got := titles[entries[title]]; got != want {
				t.Errorf("title cell = %q, want %q", got, want)
			}
			if got, want := companies[entries[title]], "Sécurité événementielle"; got != want {
				t.Errorf("company cell = %q, want %q", got, want)
			}
		}
	})

	t.Run("OK audit.csv", func(t *testing.T) {
		// GET /audit.csv (admin) → the same format; a comment with a comma, quotes and a newline
		// reads back exactly, and one a spreadsheet would run gets its apostrophe.
		recs := readCSV(t, ts.must(t, http.StatusOK, "GET", "/api/v1/audit.csv", ts.admin, nil))
		if got, want := len(recs), 1+len(entries); got != want {
			t.Fatalf("%d records, want a header and %d score records", got, len(entries))
		}
		comments := column(t, recs, "entry_id", "comment")
		for title, want := range map[string]string{quoted: comment, formula: "'" + atSum, "Caméra thermique": "'" + negative} {
			if got := comments[entries[title]]; got != want {
				t.Errorf("comment cell = %q, want %q", got, want)
			}
		}
	})
}
