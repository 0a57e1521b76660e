#!/usr/bin/env bash
# Installs llama.cpp (node-llama-cpp 3.22.1's prebuilt CPU libraries) next to this script, from the npm registry.
# Tests and benchmarks use it as the live reference; nothing in Cria needs it to run.
# Only the CPU package is installed (--omit=optional skips the CUDA/Vulkan builds); no install scripts run, so
# nothing is compiled or downloaded beyond npm packages.
set -euo pipefail
DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
command -v npm >/dev/null 2>&1 || { echo "tools/llama-cpp/install.sh: npm is required (Debian: apt-get install npm)" >&2; exit 1; }
cd "$DIR"
npm install --no-audit --no-fund --omit=optional --ignore-scripts >&2
LIB="$DIR/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64"
[[ -f "$LIB/libggml-base.so" ]] || { echo "tools/llama-cpp/install.sh: $LIB/libggml-base.so missing after install" >&2; exit 1; }
echo "$LIB"
