# Shared by .ci/serve and .ci/test: a virtualenv with the project's requirements.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  "$PYTHON" -m venv .venv
fi
REQ_FILE="${1:-requirements.txt}"
STAMP=".venv/.installed-$(cat requirements.txt requirements-dev.txt | sha256sum | cut -c1-16)-$(basename "$REQ_FILE")"
if [ ! -f "$STAMP" ]; then
  echo "==> installing $REQ_FILE"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip 2>&1 \
    | { grep -v "^WARNING: Location" || true; }
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$REQ_FILE" 2>&1 \
    | { grep -v "^WARNING: Location" || true; }
  touch "$STAMP"
fi
export PATH="$ROOT/.venv/bin:$PATH"
export FLASK_APP=wsgi
