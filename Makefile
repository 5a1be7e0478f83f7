# Briefboard. `make run` opens the app on the demo workspace; `make test`
# runs every test. Both install the Debian/Ubuntu packages they need first.

GO      ?= go
BIN     := bin/briefboard
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Packages Fyne needs to build (cgo, GLFW, X11 and GL headers).
BUILD_PKGS := gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev \
              libxinerama-dev libxi-dev libxxf86vm-dev
# And what the tests use: a real X server for the window test, xdotool to
# drive it, ImageMagick for screenshots, poppler for reading PDFs back.
TEST_PKGS  := xvfb xauth xdotool imagemagick poppler-utils

.PHONY: run build test deps test-deps vet fmt-check bench fuzz package clean

run: deps build
	LANG=$${LANG:-en_US.UTF-8} ./$(BIN)

build:
	$(GO) build -o $(BIN) ./cmd/briefboard

test: test-deps vet fmt-check
	$(GO) test -count=1 -timeout 25m ./...

deps:
	@$(MAKE) --no-print-directory install PKGS="$(BUILD_PKGS)"

test-deps:
	@$(MAKE) --no-print-directory install PKGS="$(BUILD_PKGS) $(TEST_PKGS)"

# install puts the missing PKGS in place with apt-get, and only the missing.
install:
	@command -v $(GO) >/dev/null || { echo "Go is not installed: see https://go.dev/doc/install (Go 1.24 or newer)"; exit 1; }
	@missing=""; for p in $(PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if ! command -v apt-get >/dev/null; then \
	    echo "This system has no apt-get. Install the equivalents of:$$missing"; exit 1; \
	  fi; \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l cmd ui workspace export resources); \
	if [ -n "$$out" ]; then echo "gofmt needed on: $$out"; exit 1; fi

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# fuzz runs every fuzz target for FUZZTIME each.
FUZZTIME ?= 30s
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

clean:
	rm -rf bin dist
