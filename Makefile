# Thin aliases; CI runs .ci/run.
GO       ?= go
FUZZTIME ?= 30s
ARGS     ?=

.PHONY: test race vet lint bench fuzz smoke run demo ci

test:
	$(GO) test -count=1 ./...

race:
	$(GO) test -race -count=1 ./...

vet:
	$(GO) vet ./...

lint: vet
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	@if command -v staticcheck >/dev/null; then staticcheck ./...; else echo "staticcheck not installed: skipped"; fi

bench:
	$(GO) test -run='^$$' -bench=. -benchmem ./...

# Every fuzz target for $(FUZZTIME) each, e.g. make fuzz FUZZTIME=2m.
fuzz:
	@set -e; for f in $$(grep -rlE '^func Fuzz[A-Za-z0-9_]+' --include='*_test.go' . | sort); do \
		dir=./$$(dirname $${f#./}); \
		for name in $$(grep -hoE '^func Fuzz[A-Za-z0-9_]+' $$f | sed 's/^func //'); do \
			echo "--- fuzz $$dir $$name"; \
			$(GO) test -run='^$$' -fuzz="^$$name\$$" -fuzztime=$(FUZZTIME) $$dir; \
		done; \
	done

# The built binary walked over HTTP, its answers checked against the OpenAPI document it serves.
smoke:
	$(GO) test -count=1 -run='^TestSmoke$$' -v ./cmd/awards

run:
	$(GO) run ./cmd/awards $(ARGS)

demo:
	$(GO) run ./cmd/awards --demo $(ARGS)

ci:
	.ci/run
