#!/usr/bin/env bash
# Every test: the Rust crate's (`cargo test --release`, which also runs
# alone), then the Python package's (python/test.sh: built into a virtual
# environment with `pip install .`, tested with pytest).
set -euo pipefail
cd "$(dirname "$0")"
cargo test --release "$@"
bash python/test.sh
