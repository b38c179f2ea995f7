#!/usr/bin/env bash
# Create .venv (if missing) and install dvscraper editable with its test extras.
# Idempotent: a second run only re-installs when pyproject.toml changed.
#   PYTHON=python3.12 scripts/setup.sh   # choose the interpreter (default: python3, >= 3.10)
#   EXTRAS=test,bench scripts/setup.sh   # also install the benchmark's peer (trafilatura)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-python3}"
EXTRAS="${EXTRAS:-test}"
VENV=.venv
STAMP="$VENV/.dvscraper-installed-${EXTRAS//,/-}"

if [ ! -x "$VENV/bin/python" ]; then
    if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
        echo "setup: dvscraper needs Python >= 3.10 (found: $("$PYTHON" --version 2>&1 || echo none))" >&2
        exit 1
    fi
    echo "setup: creating $VENV with $("$PYTHON" --version 2>&1)"
    "$PYTHON" -m venv "$VENV"
fi

want="$(sha256sum pyproject.toml | cut -d' ' -f1) extras=$EXTRAS"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] && "$VENV/bin/python" -c 'import dvscraper' 2>/dev/null; then
    echo "setup: $VENV is up to date"
    exit 0
fi

echo "setup: installing dvscraper[$EXTRAS] into $VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[$EXTRAS]"
echo "$want" > "$STAMP"
echo "setup: done ($("$VENV/bin/python" --version 2>&1), $VENV/bin/dvscraper)"
