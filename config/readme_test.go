package config

import (
	"os"
	"strings"
	"testing"
)

func TestSettings_README(t *testing.T) {
	// README's configuration table is the settings table: every setting, its variable, flag,
	// meaning (saying when it is not used yet) and default, and nothing else.
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	header := "| variable | flag | meaning | default |\n"
	_, rest, ok := strings.Cut(string(b), "\n"+header)
	if !ok {
		t.Fatalf("README.md has no configuration table starting with %q; it should be:\n%s", header, readmeTable())
	}
	got := header
	for _, line := range strings.SplitAfter(rest, "\n") {
		if !strings.HasPrefix(line, "|") {
			break
		}
		got += line
	}
	if want := readmeTable(); got != want {
		t.Fatalf("README.md's configuration table differs from the settings; it should be:\n%s\ngot:\n%s", want, got)
	}
}
