#!/usr/bin/env bash
# Checks of the tree-sitter grammar, run by .ci/run: the committed parser is
# what `tree-sitter generate` makes of grammar.js (itself generated from the
# language's table, see tests/editors.rs), the corpus tests and the queries
# pass, and every example parses without an error or a missing node.
# TREE_SITTER names the CLI (default: `tree-sitter` on PATH).
set -euo pipefail
cd "$(dirname "$0")"
ts="${TREE_SITTER:-tree-sitter}"
"$ts" --version

"$ts" generate
if ! git diff --quiet -- src; then
  echo "src/ is stale: run \`tree-sitter generate\` in editors/tree-sitter-sls and commit it" >&2
  git diff --stat -- src >&2
  exit 1
fi

"$ts" test

list="$(mktemp)"
trap 'rm -f "$list"' EXIT
find ../../examples -name '*.sls' | sort >"$list"
"$ts" parse -p . --quiet --stat --paths "$list"
