#!/usr/bin/env bash
# Installs whatever the project needs and is missing; cheap when everything is there.
#   ensure.sh run   Node packages and the Temporal CLI (dev server)
#   ensure.sh test  the above, the Temporal time-skipping test server, PostgreSQL, and the Temporal
#                   server and its SQL tool (the cluster test, test/cluster, runs in `npm test`)
#   ensure.sh cluster  run's, the Temporal server, its SQL tool and its Web UI (`reform cluster`) and PostgreSQL
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mode="${1:-run}"
root="$PWD"
tools="$root/.tools"
# The Temporal CLI and the Temporal server are pinned in one place, tools/temporal-server/go.mod: a
# Go module that requires the CLI and the server release the CLI itself requires, from which the
# server is built (ensure_temporal_server) with the very dependency versions of the CLI's build, so that Go's
# build cache serves the packages the CLI's build compiled. Newer CLI tags carry a `replace`
# directive that `go install` refuses. libs/adapters/config/src/versions.spec.ts checks the pins
# against TEMPORAL_SERVER_VERSION in libs/adapters/config/src/cluster.ts.
temporal_mod="$root/tools/temporal-server"
pinned() { awk -v m="$1" '$1 == m && $2 ~ /^v/ { print $2; exit }' "$temporal_mod/go.mod"; }
TEMPORAL_CLI_VERSION="$(pinned github.com/temporalio/cli)"
TEMPORAL_SERVER_VERSION="$(pinned go.temporal.io/server)"
TEST_SERVER_VERSION="1.38.0"      # keep in step with tools/temporal-test-server/pom.xml
TEMPORAL_UI_VERSION="v2.42.1"     # keep in step with TEMPORAL_UI_VERSION in libs/adapters/config/src/cluster.ts (the UI Temporal CLI v1.5.1 embeds)
export GOFLAGS=-buildvcs=false    # the same for every Go build here (the build cache keys on it)

say() { printf '[ensure] %s\n' "$*" >&2; }
need() { command -v "$1" >/dev/null 2>&1 || { say "缺少 $1: $2"; exit 1; }; }
# Installs the Debian packages named whose marker file ("package:path") is absent.
debs() {
  local missing=() pair
  for pair in "$@"; do [ -e "${pair#*:}" ] || missing+=("${pair%%:*}"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing Debian packages: ${missing[*]}"
  local run=(); [ "$(id -u)" = 0 ] || run=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${run[@]}" apt-get update -qq >/dev/null
  "${run[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
# Before any Go build: the pins read, and the CLI requiring exactly the server release pinned
# beside it (a CLI bump that brings another server must bump the server pin too, and the
# cluster's code with it), and Go selecting it.
check_temporal_pins() {
  need go "install Go (apt-get install golang) and run again"
  if [ -z "$TEMPORAL_CLI_VERSION" ] || [ -z "$TEMPORAL_SERVER_VERSION" ]; then
    say "tools/temporal-server/go.mod must require github.com/temporalio/cli and go.temporal.io/server"; exit 1
  fi
  local graph wanted selected
  if ! graph="$(cd "$temporal_mod" && go mod graph)" || ! selected="$(cd "$temporal_mod" && go list -m -f '{{.Version}}' go.temporal.io/server)"; then
    say "cannot read the module graph of tools/temporal-server (above): after changing a version there, run go mod tidy in that folder"; exit 1
  fi
  wanted="$(awk -v c="github.com/temporalio/cli@$TEMPORAL_CLI_VERSION" '$1 == c && index($2, "go.temporal.io/server@") == 1 { sub(/^[^@]*@/, "", $2); print $2 }' <<<"$graph")"
  if [ "$wanted" != "$TEMPORAL_SERVER_VERSION" ] || [ "$selected" != "$TEMPORAL_SERVER_VERSION" ]; then
    say "tools/temporal-server/go.mod pins go.temporal.io/server $TEMPORAL_SERVER_VERSION, but Temporal CLI $TEMPORAL_CLI_VERSION requires ${wanted:-none} (Go selects ${selected:-none}):"
    say "pin the server the CLI requires there (go get go.temporal.io/server@${wanted:-…}, go mod tidy) and TEMPORAL_SERVER_VERSION in libs/adapters/config/src/cluster.ts to match"
    exit 1
  fi
}
# The Temporal server (frontend, history, matching and worker services, one binary) and its SQL
# schema tool, for `reform cluster` and the cluster test: built from tools/temporal-server (right
# after the CLI's build, Go's build cache already holds most of their packages), niced; rebuilt
# only when the version changes.
ensure_temporal_server() {
  local srv="$tools/temporal-server/bin"
  if [ ! -x "$srv/server" ] || [ ! -x "$srv/sql" ] || [ "$(cat "$srv/server.version" 2>/dev/null)" != "$TEMPORAL_SERVER_VERSION" ]; then
    check_temporal_pins
    say "building Temporal server $TEMPORAL_SERVER_VERSION and its SQL tool with go build (first time only: seconds from Go's build cache right after the CLI's build, minutes without it)"
    mkdir -p "$srv"
    rm -f "$srv/server.version"
    local started=$SECONDS
    (cd "$temporal_mod" && nice -n 10 go build -o "$srv/" go.temporal.io/server/cmd/server go.temporal.io/server/cmd/tools/sql)
    echo "$TEMPORAL_SERVER_VERSION" > "$srv/server.version"
    say "built the Temporal server and its SQL tool in $((SECONDS - started)) s"
  fi
}

# 1. Node packages: reinstall when the lock file changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing Node packages"
  # `npm install` rather than `npm ci`: npm 11 writes lock files without other platforms'
  # optional packages and then refuses them in `npm ci`. With the lock in sync it installs
  # exactly the locked versions and leaves the lock as it is.
  npm install --no-fund --no-audit --loglevel=error
fi

# 2. Temporal CLI (dev server + web UI), built from the Go module registry.
if [ ! -x "$tools/bin/temporal" ] || [ "$(cat "$tools/bin/temporal.version" 2>/dev/null)" != "$TEMPORAL_CLI_VERSION" ]; then
  check_temporal_pins
  say "building Temporal CLI $TEMPORAL_CLI_VERSION with go install (first time only, a few minutes)"
  mkdir -p "$tools/bin"
  started=$SECONDS
  GOBIN="$tools/bin" go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION"
  echo "$TEMPORAL_CLI_VERSION" > "$tools/bin/temporal.version"
  say "built the Temporal CLI in $((SECONDS - started)) s"
fi

# 3. Fonts for the letters as documents: the Fandol faces (仿宋, 宋, 黑, 楷; GB2312 and more),
#    embedded as subsets in the PDFs we write.
debs texlive-lang-chinese:/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf

# 4. For `reform cluster`: the Temporal server and its SQL tool, and its Web UI server (only here:
#    the cluster test does without it), built from the Go module registry; rebuilt only when a
#    version changes. The builds run niced (times in README, "Growing beyond one machine").
if [ "$mode" = "cluster" ]; then
  ensure_temporal_server
  # Its Web UI (optional: the cluster runs without it when it cannot be built).
  ui="$tools/temporal-ui/bin"
  if [ ! -x "$ui/server" ] || [ "$(cat "$ui/server.version" 2>/dev/null)" != "$TEMPORAL_UI_VERSION" ]; then
    say "building Temporal Web UI server $TEMPORAL_UI_VERSION with go install (first time only)"
    mkdir -p "$ui"
    rm -f "$ui/server.version"
    if GOBIN="$ui" nice -n 10 go install "github.com/temporalio/ui-server/v2/cmd/server@$TEMPORAL_UI_VERSION"; then
      echo "$TEMPORAL_UI_VERSION" > "$ui/server.version"
    else
      say "could not build the Temporal Web UI: the cluster runs without it"
    fi
  fi
  bash scripts/ensure-postgres.sh
  exit 0
fi

[ "$mode" = "test" ] || exit 0

# Tests open the documents we write: poppler-utils (pdftotext, pdftoppm, pdffonts).
debs poppler-utils:/usr/bin/pdftotext
# The web console's tests drive Debian's Chromium (playwright-core; Playwright's own browser
# download cannot reach its servers here), with CJK fonts to draw the Chinese pages.
debs chromium:/usr/bin/chromium fonts-noto-cjk:/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

# 5. Temporal time-skipping test server, from Maven Central.
ts="$tools/temporal-test-server"
if [ ! -f "$ts/lib/temporal-test-server-$TEST_SERVER_VERSION.jar" ]; then
  need java "install a JDK (apt-get install default-jdk-headless)"
  need mvn "install Maven (apt-get install maven)"
  say "fetching Temporal test server $TEST_SERVER_VERSION from Maven Central"
  rm -rf "$ts" && mkdir -p "$ts/lib"
  mvn -B -q -f tools/temporal-test-server/pom.xml dependency:copy-dependencies -DoutputDirectory="$ts/lib"
fi
install -m 0755 tools/temporal-test-server/temporal-test-server "$ts/temporal-test-server"

# 6. PostgreSQL for the persistence tests, unless the caller points at one (TEST_DATABASE_URL).
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  bash scripts/ensure-postgres.sh
fi

# 7. The Temporal server and its SQL tool for the cluster test (scripts/test.sh runs it after the
#    other tests); not its Web UI, which only `npm run cluster` builds.
ensure_temporal_server
