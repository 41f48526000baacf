#!/usr/bin/env bash
# Regenerates build/<Name>.abi, build/<Name>.bin and build/<Name>.bin-runtime
# for the test contracts in this folder. The outputs are committed, so tests
# never need solc; run this only after editing a .sol file:
#
#   bash onchain/testdata/contracts/build.sh
#
# Needs node and npm. solc-js is installed once, at the pinned version, into
# a cache outside the repository.
set -euo pipefail

SOLC_VERSION=0.8.37

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/deai-scorecard/solc/$SOLC_VERSION"
solc_pkg="$cache/node_modules/solc"

if [ ! -f "$solc_pkg/soljson.js" ]; then
  echo "installing solc@$SOLC_VERSION into $cache" >&2
  mkdir -p "$cache"
  npm install --prefix "$cache" --no-save --no-package-lock --no-audit --no-fund \
    --ignore-scripts "solc@$SOLC_VERSION" >&2
fi

node "$here/compile.js" "$solc_pkg" "$SOLC_VERSION"
