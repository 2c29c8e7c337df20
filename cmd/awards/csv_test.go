package main

import (
	"encoding/csv"
	"io"
)

// readCSV reads a CSV with a header into one map per row.
func readCSV(r io.Reader) ([]map[string]string, error) {
	all, err := csv.NewReader(r).ReadAll()
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
