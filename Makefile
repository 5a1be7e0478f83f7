# Briefboard. `make run` opens the app on the demo workspace; `make test`
# runs every test. Both install the Debian/Ubuntu packages they need first.

GO      ?= go
BIN     := bin/briefboard
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Packages Fyne needs to build (cgo, GLFW, X11 and GL headers).
BUILD_PKGS := gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev \
              libxinerama-dev libxi-dev libxxf86vm-dev
# And what the tests use: a real X server for the window test, xdotool to
# drive it, ImageMagick for screenshots, poppler for reading PDFs back, and
# age (with script from bsdutils) to check share files against the age tool.
TEST_PKGS  := xvfb xauth xdotool imagemagick poppler-utils age bsdutils

.PHONY: run build test deps test-deps vet fmt-check bench fuzz package clean

run: deps build
	LANG=$${LANG:-en_US.UTF-8} ./$(BIN)

build:
	$(GO) build -o $(BIN) ./cmd/briefboard

# test runs every test, then again under the race detector the tests of
# closing a store while calls are in flight and of switching workspaces in
# the window while a share and exports run in the background.
RACE_TESTS := TestWindow_Switch|TestStore_Close
test: test-deps vet fmt-check
	$(GO) test -count=1 -timeout 25m ./...
	$(GO) test -race -count=1 -timeout 15m -run '$(RACE_TESTS)' ./ui ./workspace

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

# package builds the desktop package with fyne package: dist/Briefboard.tar.xz
# holds the binary, the icon, the .desktop entry named after the app id, the
# MIME type of share files (shared-mime-info), and a Makefile that installs
# them and refreshes the MIME and desktop databases (sudo make install, or
# make user-install), so a share file opens with a double click. Name, app
# id, version, build, icon and the desktop entry's file argument come from
# FyneApp.toml. fyne package reads that file from --src, where main.go is,
# so it is copied there for the build; the same values are passed as flags
# too. resources/linux/add-mime.sh adds the MIME type to the tarball. The
# first run takes minutes: a release build does not share the normal build
# cache.
FYNE_TOOL   := fyne.io/tools/cmd/fyne@v1.7.4
APP_NAME    := $(shell sed -n 's/^ *Name *= *"\(.*\)"/\1/p' FyneApp.toml | head -1)
APP_ID      := $(shell sed -n 's/^ *ID *= *"\(.*\)"/\1/p' FyneApp.toml | head -1)
APP_VERSION := $(shell sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml | head -1)
APP_BUILD   := $(shell sed -n 's/^ *Build *= *\([0-9]*\).*/\1/p' FyneApp.toml | head -1)
MIME_TYPE   := application/x-briefboard

package: deps
	@mkdir -p dist
	@cp FyneApp.toml cmd/briefboard/FyneApp.toml; \
	$(GO) run $(FYNE_TOOL) package --target linux --release --src cmd/briefboard \
	  --name "$(APP_NAME)" --app-id "$(APP_ID)" --app-version "$(APP_VERSION)" --app-build "$(APP_BUILD)" \
	  --icon "$(CURDIR)/resources/icon.png"; status=$$?; \
	rm -f cmd/briefboard/FyneApp.toml; \
	[ $$status -eq 0 ] || exit $$status; \
	sh resources/linux/add-mime.sh "$(APP_NAME).tar.xz" "$(APP_ID)" resources/linux/briefboard-mime.xml "$(MIME_TYPE)" && \
	mv -f "$(APP_NAME).tar.xz" dist/ && echo "dist/$(APP_NAME).tar.xz: tar xf it, then cd briefboard && sudo make install (or make user-install)"

clean:
	rm -rf bin dist
