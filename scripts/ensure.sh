#!/usr/bin/env bash
# Installs whatever the project needs and is missing; cheap when everything is there.
#   ensure.sh run   Node packages and the Temporal CLI (dev server)
#   ensure.sh test  the above, the Temporal time-skipping test server and PostgreSQL
#   ensure.sh cluster  run's, the Temporal server and its SQL tool (`reform cluster`) and PostgreSQL
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mode="${1:-run}"
root="$PWD"
tools="$root/.tools"
TEMPORAL_CLI_VERSION="v1.5.1"     # newer tags carry a `replace` directive that `go install` refuses
TEST_SERVER_VERSION="1.38.0"      # keep in step with tools/temporal-test-server/pom.xml
TEMPORAL_SERVER_VERSION="v1.29.1" # keep in step with TEMPORAL_SERVER_VERSION in libs/adapters/config/src/cluster.ts
TEMPORAL_UI_VERSION="v2.42.1"     # keep in step with TEMPORAL_UI_VERSION there (the UI Temporal CLI v1.5.1 embeds)

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
  need go "install Go (apt-get install golang) and run again"
  say "building Temporal CLI $TEMPORAL_CLI_VERSION with go install (first time only, a few minutes)"
  mkdir -p "$tools/bin"
  GOBIN="$tools/bin" GOFLAGS=-buildvcs=false go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION"
  echo "$TEMPORAL_CLI_VERSION" > "$tools/bin/temporal.version"
fi

# 3. Fonts for the letters as documents: the Fandol faces (仿宋, 宋, 黑, 楷; GB2312 and more),
#    embedded as subsets in the PDFs we write.
debs texlive-lang-chinese:/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf

# 4. For `reform cluster`: the Temporal server (frontend, history, matching and worker services,
#    one binary), its SQL schema tool and its Web UI server, built from the Go module registry;
#    rebuilt only when a version changes. The build is long (see README, "Growing beyond one machine") and runs niced.
if [ "$mode" = "cluster" ]; then
  srv="$tools/temporal-server/bin"
  if [ ! -x "$srv/server" ] || [ ! -x "$srv/sql" ] || [ "$(cat "$srv/server.version" 2>/dev/null)" != "$TEMPORAL_SERVER_VERSION" ]; then
    need go "install Go (apt-get install golang) and run again"
    say "building Temporal server $TEMPORAL_SERVER_VERSION and its SQL tool with go install (first time only)"
    mkdir -p "$srv"
    rm -f "$srv/server.version"
    GOBIN="$srv" GOFLAGS=-buildvcs=false nice -n 10 go install \
      "go.temporal.io/server/cmd/server@$TEMPORAL_SERVER_VERSION" "go.temporal.io/server/cmd/tools/sql@$TEMPORAL_SERVER_VERSION"
    echo "$TEMPORAL_SERVER_VERSION" > "$srv/server.version"
  fi
  # Its Web UI (optional: the cluster runs without it when it cannot be built).
  ui="$tools/temporal-ui/bin"
  if [ ! -x "$ui/server" ] || [ "$(cat "$ui/server.version" 2>/dev/null)" != "$TEMPORAL_UI_VERSION" ]; then
    say "building Temporal Web UI server $TEMPORAL_UI_VERSION with go install (first time only)"
    mkdir -p "$ui"
    rm -f "$ui/server.version"
    if GOBIN="$ui" GOFLAGS=-buildvcs=false nice -n 10 go install "github.com/temporalio/ui-server/v2/cmd/server@$TEMPORAL_UI_VERSION"; then
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
