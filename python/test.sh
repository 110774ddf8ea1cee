#!/usr/bin/env bash
# The Python package's tests: a virtual environment (target/python-venv,
# made once; $SLS_VENV to put it elsewhere) with the pinned test
# requirements, the package built from this checkout with `pip install .`,
# then pytest. The tests compare with the command line, so the release
# binary is built first, as `cargo test --release` builds it (which makes
# this a no-op after it): with the test build's features of shared
# dependencies, where `cargo build --bin sls` would build the library and
# Arrow again (2.5 minutes of CI).
set -euo pipefail
cd "$(dirname "$0")/.."

venv="$(realpath -m "${SLS_VENV:-target/python-venv}")"
python="${PYTHON:-python3}"
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
# As `activate` does: maturin's build hook calls the `maturin` of the environment.
export PATH="$venv/bin:$PATH"
"$venv/bin/python" -m pip install -q --disable-pip-version-check -r python/requirements-test.txt
"$venv/bin/python" -m pip install -q --disable-pip-version-check --no-build-isolation --force-reinstall --no-deps .
cargo test --release --locked --no-run --test integration
# From the tests' folder, so `import sls` is the installed package.
cd python/tests
python -m pytest -q "$@"
