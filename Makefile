# Thin aliases; CI runs .ci/run, which calls the same .ci/lint and .ci/fuzz.
GO   ?= go
ARGS ?=

.PHONY: test race lint bench fuzz smoke run demo ci

test:
	$(GO) test -count=1 ./...

race:
	$(GO) test -race -count=1 ./...

# gofmt, go vet, go mod tidy -diff and staticcheck (pinned in go.mod).
lint:
	.ci/lint

bench:
	$(GO) test -run='^$$' -bench=. -benchmem ./...

# Every fuzz target for FUZZTIME each (default 10s), e.g. make fuzz FUZZTIME=2m.
fuzz:
	.ci/fuzz

# The built binary walked over HTTP, its answers checked against the OpenAPI document it serves.
smoke:
	$(GO) test -count=1 -run='^TestSmoke$$' -v ./cmd/awards

run:
	$(GO) run ./cmd/awards $(ARGS)

demo:
	$(GO) run ./cmd/awards --demo $(ARGS)

ci:
	.ci/run
