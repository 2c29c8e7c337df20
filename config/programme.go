package config

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"

	// The programmes name IANA time zones; this keeps them loadable in a scratch or distroless
	// image without a zoneinfo database.
	_ "time/tzdata"

	"go.yaml.in/yaml/v3"

	"github.com/awards-dev/awards/judging"
)

//go:embed milipol-2023.yaml
var milipol2023YAML []byte

// LoadProgramme reads a programme YAML file strictly (an unknown field is an error), fills its
// defaults and checks its rules. Errors are one line naming the file.
func LoadProgramme(path string) (judging.Programme, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return judging.Programme{}, fmt.Errorf("config: programme %s: %w", path, err)
	}
	p, err := parseProgramme(data)
	if err != nil {
		return judging.Programme{}, fmt.Errorf("config: programme %s: %w", path, err)
	}
	return p, nil
}

// Milipol2023 returns the built-in Milipol 2023 programme (config/milipol-2023.yaml), a fresh
// copy on each call.
func Milipol2023() judging.Programme {
	p, err := parseProgramme(milipol2023YAML)
	if err != nil {
		panic("config: the embedded milipol-2023.yaml is broken: " + err.Error())
	}
	return p
}

// parseProgramme decodes one YAML document strictly, normalises it and validates it.
func parseProgramme(data []byte) (judging.Programme, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var p judging.Programme
	if err := dec.Decode(&p); err != nil {
		if errors.Is(err, io.EOF) {
			return judging.Programme{}, errors.New("the file is empty")
		}
		return judging.Programme{}, oneLine(err)
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return judging.Programme{}, errors.New("the file holds more than one YAML document")
	}
	p.Normalise()
	if err := p.Validate(); err != nil {
		return judging.Programme{}, err
	}
	return p, nil
}

// oneLine joins a multi-line YAML error (one line per problem) into one line.
func oneLine(err error) error {
	msg := string(bytes.Join(bytes.Fields([]byte(err.Error())), []byte(" ")))
	return errors.New(msg)
}
