package main

import (
	"bufio"
	"encoding/csv"
	"io"
)

// readCSV reads a CSV with a header, after its UTF-8 byte-order mark if any, into one map per row.
func readCSV(r io.Reader) ([]map[string]string, error) {
	br := bufio.NewReader(r)
	if bom, err := br.Peek(3); err == nil && string(bom) == "\xEF\xBB\xBF" {
		_, _ = br.Discard(3)
	}
	all, err := csv.NewReader(br).ReadAll()
	if err != nil || len(all) == 0 {
		return nil, err
	}
	out := make([]map[string]string, 0, len(all)-1)
	for _, rec := range all[1:] {
		m := map[string]string{}
		for i, h := range all[0] {
			m[h] = rec[i]
		}
		out = append(out, m)
	}
	return out, nil
}
