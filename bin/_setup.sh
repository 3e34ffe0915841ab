# Shared by bin/serve and bin/test: make .venv and install Margins into it.
# Works as root on a fresh Debian (installs python3-venv when missing) and
# as a normal user where the system already has what is needed.

cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

apt_install() {
    # apt_install PACKAGE... : install Debian packages that are missing.
    local missing=()
    for package in "$@"; do
        dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
        echo "Margins needs these Debian packages: ${missing[*]}; install them (as root: apt-get install ${missing[*]}) and run this again." >&2
        exit 1
    fi
    say "Installing ${missing[*]} (apt-get)"
    if [ -z "${MARGINS_APT_UPDATED:-}" ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        export MARGINS_APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

PYTHON=${PYTHON:-python3}

ensure_venv() {
    # ensure_venv EXTRAS : .venv with Margins installed (editable), e.g. ensure_venv "[test]".
    if ! "$PYTHON" -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null; then
        echo "Margins needs Python 3.11 or newer as '$PYTHON' (set PYTHON=/path/to/python3.11)." >&2
        exit 1
    fi
    if [ ! -x .venv/bin/python ]; then
        "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null || apt_install python3-venv
        say "Making the virtual environment .venv"
        "$PYTHON" -m venv .venv
    fi
    local stamp=".venv/.installed$1"
    if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
        say "Installing Margins and its dependencies into .venv"
        .venv/bin/python -m pip install --quiet --upgrade pip
        .venv/bin/python -m pip install --quiet --editable ".$1"
        touch "$stamp"
    fi
}

ensure_extension_build() {
    # ensure_extension_build : npm packages of extension/ installed, and the
    # extension built into extension/build/{chrome,firefox} (and a zip each).
    command -v node >/dev/null || apt_install nodejs
    command -v npm >/dev/null || apt_install npm  # Debian's nodejs comes without npm
    local stamp="extension/node_modules/.installed"
    if [ ! -f "$stamp" ] || [ extension/package-lock.json -nt "$stamp" ]; then
        say "Installing the extension's build tools (npm ci)"
        (cd extension && npm ci --no-audit --no-fund --loglevel=error)
        touch "$stamp"
    fi
    say "Building the extension"
    (cd extension && node build.mjs >/dev/null)
}
