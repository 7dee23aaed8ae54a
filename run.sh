#!/usr/bin/env bash
# The one entry point for building and testing.
#
#   ./run.sh build [args]   set up, then: .venv/bin/python build.py build [args]
#   ./run.sh test  [args]   set up (+ Debian's browsers and Java), ruff, then: pytest -n auto [args]
#   ./run.sh bench [args]   set up (+ Debian's browsers), then: .venv/bin/python benchmarks/run.py [args]
#   ./run.sh setup          set up only
#
# Set-up is idempotent and cheap when nothing changed: .venv is (re)installed
# when requirements.txt changes, node_modules when package-lock.json changes
# (sha256 stamps kept inside .venv/ and node_modules/). Needs no stdin.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

PYTHON="${PYTHON:-python3}"
VENV=.venv
VENV_STAMP="$VENV/.requirements.sha256"
NPM_STAMP=node_modules/.package-lock.sha256
CHROMIUM=/usr/bin/chromium

say() { printf '[run.sh] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

sha() { sha256sum "$1" | cut -d' ' -f1; }

setup_venv() {
    local want have=""
    want="$(sha requirements.txt)"
    # A venv whose interpreter no longer starts (e.g. the base Python moved) is rebuilt.
    if [[ -d $VENV ]] && ! "$VENV/bin/python" -c '' >/dev/null 2>&1; then
        say "removing broken $VENV"
        rm -rf "$VENV"
    fi
    if [[ ! -d $VENV ]]; then
        say "setting up $VENV ($("$PYTHON" --version 2>&1))"
        "$PYTHON" -m venv "$VENV"
    fi
    [[ -f $VENV_STAMP ]] && have="$(cat "$VENV_STAMP")"
    if [[ $want != "$have" ]]; then
        say "pip install -r requirements.txt"
        local log="$VENV/.pip-install.log"
        if ! "$VENV/bin/python" -m pip install -q --disable-pip-version-check \
                -r requirements.txt </dev/null >"$log" 2>&1; then
            cat "$log" >&2
            die "pip install failed"
        fi
        printf '%s\n' "$want" >"$VENV_STAMP"
    fi
}

setup_node() {
    command -v node >/dev/null 2>&1 || die "node not found (Node.js >= 18 is needed)"
    command -v npm >/dev/null 2>&1 || die "npm not found"
    local want have=""
    want="$(sha package-lock.json)"
    [[ -f $NPM_STAMP ]] && have="$(cat "$NPM_STAMP")"
    if [[ ! -d node_modules || $want != "$have" ]]; then
        say "npm ci"
        npm ci --no-audit --no-fund --loglevel=error </dev/null >&2
        printf '%s\n' "$want" >"$NPM_STAMP"
    fi
}

# Debian packages the browser tests need, installed with apt-get when one is missing (never a
# downloaded browser or driver): Chromium (Playwright), Firefox ESR (puppeteer-core over WebDriver
# BiDi), WebKitGTK's WebKitWebDriver and MiniBrowser (Selenium), and Xvfb for WebKit's display.
BROWSER_PACKAGES=(
    "chromium:$CHROMIUM"
    "firefox-esr:/usr/bin/firefox-esr"
    "webkit2gtk-driver:/usr/bin/WebKitWebDriver"
    "xvfb:/usr/bin/xvfb-run"
)

# apt-get install PACKAGE... (as root, or through sudo -n), non-interactive, after one update.
apt_install() {
    local -a sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null 2>&1 || die "apt-get install $* needs root: not root and no sudo"
        sudo=(sudo -n)
    fi
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get -o DPkg::Lock::Timeout=600 update -q </dev/null >&2
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get -o DPkg::Lock::Timeout=600 install -y -q "$@" </dev/null >&2
}

setup_browsers() {
    local entry missing=()
    for entry in "${BROWSER_PACKAGES[@]}"; do
        [[ -x ${entry#*:} ]] || missing+=("${entry%%:*}")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    say "installing Debian ${missing[*]} (apt-get)"
    apt_install "${missing[@]}"
    for entry in "${BROWSER_PACKAGES[@]}"; do
        [[ -x ${entry#*:} ]] || die "apt-get installed ${entry%%:*} but ${entry#*:} is missing"
    done
}

# Java runs the Nu Html Checker (npm vnu-jar) in the tests: Debian's, never vnu-jar's own download
# (.npmrc turns npm install scripts off).
setup_java() {
    command -v java >/dev/null 2>&1 && return 0
    say "installing Debian default-jre-headless (apt-get)"
    apt_install --no-install-recommends default-jre-headless
    command -v java >/dev/null 2>&1 || die "apt-get installed default-jre-headless but java is not on PATH"
}

setup() {
    setup_venv
    setup_node
}

cmd="${1:-}"
[[ $# -gt 0 ]] && shift

case "$cmd" in
    build)
        setup
        say "build.py build $*"
        exec "$VENV/bin/python" build.py build "$@"
        ;;
    test)
        setup
        setup_browsers
        setup_java
        say "ruff check + ruff format --check (pyproject.toml)"
        "$VENV/bin/ruff" check --quiet . || die "ruff check found problems (fix, or: .venv/bin/ruff check --fix .)"
        "$VENV/bin/ruff" format --check --quiet . || die "not formatted (run: .venv/bin/ruff format .)"
        # The whole suite prints its slowest tests, to keep an eye on the time it takes.
        [[ $# -eq 0 ]] && set -- -q --durations=15
        # Parallel workers (pytest-xdist), one per core; worksteal hands waiting tests to
        # whichever worker is free. Options given after `test` come later and win:
        # `./run.sh test -n 0 ...` runs serially (--pdb does so by itself).
        say "pytest -n auto --dist worksteal $*"
        rc=0
        "$VENV/bin/python" -m pytest -n auto --dist worksteal "$@" || rc=$?
        if [[ $rc -eq 5 ]]; then
            die "pytest collected no tests (exit 5); failing"
        fi
        exit "$rc"
        ;;
    bench)
        setup
        setup_browsers
        say "benchmarks/run.py $*"
        exec "$VENV/bin/python" benchmarks/run.py "$@"
        ;;
    setup)
        setup
        setup_browsers
        setup_java
        say "set-up done"
        ;;
    *)
        echo "usage: $0 {build|test|bench|setup} [args...]" >&2
        exit 2
        ;;
esac
