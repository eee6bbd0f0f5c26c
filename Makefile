# dpnkit — see README.md. Only Go is needed.
GO      ?= go
BIN     := bin/dpnkit
PKGS    := ./...
BENCHDIR ?= bench-data

.PHONY: build test demo bench bench-go bench-national lint clean

build:
	$(GO) build -o $(BIN) ./cmd/dpnkit

test:
	$(GO) vet $(PKGS)
	$(GO) test -count=1 $(PKGS)

demo: build
	./$(BIN) demo --out out/demo

# Package micro-benchmarks, then the national end-to-end measurement
# (about 2,000,000 positions over 200 VPDs, generated once into $(BENCHDIR)).
bench: bench-go bench-national

bench-go:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 3x $(PKGS)

bench-national: build
	$(GO) run ./internal/bench -bin ./$(BIN) -data $(BENCHDIR)

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)

clean:
	rm -rf bin out dpnkit-demo $(BENCHDIR)
