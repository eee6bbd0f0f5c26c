# dpnkit — see README.md. Only Go is needed.
GO      ?= go
BIN     := bin/dpnkit
PKGS    := ./...
BENCHDIR ?= bench-data
# staticcheck, pinned; `go run` fetches it through the module proxy (slow only the first time).
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: build test demo bench bench-go bench-national bench-dup bench-duckdb lint clean fuzz rules-doc dist screenshots pgo

build:
	$(GO) build -o $(BIN) ./cmd/dpnkit

# Tests build without the profile-guided optimisation (cmd/dpnkit/default.pgo):
# it changes no behaviour, and compiling every dependency again with it, for
# each test binary of the command, took the tests from one minute to five.
test:
	$(GO) vet $(PKGS)
	GOFLAGS='$(GOFLAGS) -pgo=off' $(GO) test -count=1 $(PKGS)

demo: build
	./$(BIN) demo --out out/demo

# Package micro-benchmarks, then the national end-to-end measurement
# (about 2,000,000 positions over 200 VPDs, generated once into $(BENCHDIR)),
# with check against DuckDB (the module internal/bench/duckdb, built on the
# way; skipped with a note when it cannot be) and the ReuseRecord read.
bench: bench-go bench-national

bench-go:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 3x $(PKGS)

bench-national: build
	$(GO) run ./internal/bench -bin ./$(BIN) -data $(BENCHDIR)

# check against DuckDB and the ReuseRecord read alone (make bench prints it too).
bench-duckdb: build
	$(GO) run ./internal/bench -bin ./$(BIN) -data $(BENCHDIR) -only duckdb

# The profile of the profile-guided build, cmd/dpnkit/default.pgo (every go
# build of the command uses it): dpnkit's own CPU profiles of check, report,
# reconcile and two run days on the national data, merged. Remake it after
# changes to the hot paths (docs/performance.md).
pgo: build
	$(GO) run ./internal/bench -bin ./$(BIN) -data $(BENCHDIR) -only pgo -pgo cmd/dpnkit/default.pgo

# The 200,000-positions-sharing-one-DPN case alone (make bench prints it too).
bench-dup: build
	$(GO) run ./internal/bench -bin ./$(BIN) -data $(BENCHDIR) -only dup200k

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) run $(STATICCHECK) $(PKGS)

# docs/rules.md from the rule catalogue (`go test ./cmd/dpnkit` fails while it differs).
rules-doc:
	$(GO) test ./cmd/dpnkit -run '^TestRulesDoc$$' -count=1 -update

clean:
	rm -rf bin out dist dpnkit-demo $(BENCHDIR)

# Fuzz every loader in turn, FUZZTIME each: make fuzz FUZZTIME=2m.
# A finding fails the run and leaves its input in the package's
# testdata/fuzz/<Target>/ (commit it: it becomes a seed). Go 1.26's fuzz
# coordinator can end a clean run with a bare "context deadline exceeded"
# (go.dev/issue/75804); with no failing input written that is reported and
# not counted as a failure.
FUZZTIME ?= 2m
FUZZPAR  ?= 1
FUZZ     := internal/load:FuzzPositionsCSV internal/load:FuzzGO internal/load:FuzzPositionsXLSX \
            internal/load:FuzzPlacements internal/load:FuzzPeople internal/load:FuzzParseDate \
            internal/load:FuzzHeader internal/xlsx:FuzzReader internal/load:FuzzSplitLine internal/load:FuzzScan

fuzz:
	@log=$$(mktemp); trap 'rm -f $$log' EXIT; \
	for t in $(FUZZ); do \
		pkg=./$${t%%:*}; name=$${t#*:}; \
		echo "== $$name ($$pkg) for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 5s \
			-parallel $(FUZZPAR) $$pkg >$$log 2>&1; rc=$$?; \
		tail -n 3 $$log; \
		if [ $$rc -ne 0 ]; then \
			if grep -q 'Failing input written' $$log || ! grep -q 'context deadline exceeded' $$log; then \
				cat $$log; exit 1; \
			fi; \
			echo "   (Go's end-of-run deadline race, go.dev/issue/75804: no failing input)"; \
		fi; \
	done

# Byte-identical comparison of every output of two builds (docs/compare.md):
# make compare BASE=<rev> [NEW=<rev>] [SCALE=national] [DATA=dir]; exits 0 only when identical.
SCALE ?= trust
.PHONY: compare
compare:
	$(GO) build -o bin/compare ./internal/bench/compare
	./bin/compare $(if $(BASE),-base $(BASE)) $(if $(NEW),-new $(NEW)) $(if $(DATA),-data $(DATA)) -scale $(SCALE)

# Binaries for the PCs users have (pure Go, no C compiler): dist/dpnkit-<os>-<arch>[.exe]
# and dist/SHA256SUMS, each stamped with `git describe` as its --version.
VERSION   ?= $(shell git describe --always --dirty 2>/dev/null || echo unknown)
PLATFORMS := windows/amd64 darwin/arm64 darwin/amd64 linux/amd64 linux/arm64
DISTFLAGS := -trimpath -ldflags "-s -w -X dpnkit/internal/pipeline.Version=$(VERSION)"

dist:
	rm -rf dist && mkdir -p dist
	@for p in $(PLATFORMS); do \
		os=$${p%/*}; arch=$${p#*/}; ext=; [ $$os = windows ] && ext=.exe; \
		echo "== dist/dpnkit-$$os-$$arch$$ext"; \
		CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build $(DISTFLAGS) -o dist/dpnkit-$$os-$$arch$$ext ./cmd/dpnkit || exit 1; \
	done
	cd dist && sha256sum dpnkit-* > SHA256SUMS && cat SHA256SUMS

# docs/serve-*.png: the web page of `dpnkit serve` in headless Chromium.
screenshots:
	$(GO) test ./internal/serve -run '^TestBrowser' -count=1 -screenshots ../../docs
