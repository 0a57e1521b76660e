#!/usr/bin/env bash
# Cria's `bench` and llama.cpp's (npm node-llama-cpp, tools/llama-cpp/bench.mjs) on the same random models, back to
# back for every model and thread count, so the two are measured under the same machine conditions. Prints one
# Markdown row per model and thread count: prefill (pp128) and decode (tg128) medians over 5 repetitions ± spread.
#   tools/bench/inference-table.sh [--dir /tmp/cria-bench-models] [--threads "1 2"] [--shapes "stories15M stories110M"] [--types "f32 q8_0 q4_0"]
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
dir=/tmp/cria-bench-models
threads="1 2"
shapes="stories15M stories110M"
types="f32 q8_0 q4_0"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --dir) dir="$2"; shift 2 ;;
        --threads) threads="$2"; shift 2 ;;
        --shapes) shapes="$2"; shift 2 ;;
        --types) types="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
mkdir -p "$dir"
field() { sed -n "s/^$1: \([0-9.]*\) tok\/s ± \([0-9.]*\).*/\1 ± \2/p"; }
echo "| model | threads | Cria prefill | llama.cpp prefill | Cria decode | llama.cpp decode |"
echo "|---|---|---|---|---|---|"
for shape in $shapes; do
    for type in $types; do
        model="$dir/$shape-$type.gguf"
        [[ -f "$model" ]] || "$ROOT/cria" init --shape "$shape" --type "$type" --seed 1 --output "$model" >/dev/null
        for t in $threads; do
            cria="$("$ROOT/cria" bench --model "$model" --threads "$t" 2>/dev/null || true)"
            peer="$(timeout 300 node "$ROOT/tools/llama-cpp/bench.mjs" --model "$model" --pp 128 --tg 128 --reps 5 --threads "$t" 2>/dev/null || true)"
            echo "| $shape $type | $t | $(field prefill <<<"$cria") | $(field prefill <<<"$peer") | $(field decode <<<"$cria") | $(field decode <<<"$peer") |"
        done
    done
done
