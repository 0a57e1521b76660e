#!/usr/bin/env bash
# Runs bench.mjs over GGUF models and thread counts, several times each, and prints one Markdown row per model and
# thread count: the best of the runs' medians (other processes can only slow a run down) and that run's spread.
#   tools/llama-cpp/bench-table.sh [--rounds 3] [--threads "1 2"] MODEL.gguf...
set -euo pipefail
DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
rounds=3
threads="1 2"
while [[ $# -gt 0 && "$1" == --* ]]; do
    case "$1" in
        --rounds) rounds="$2"; shift 2 ;;
        --threads) threads="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
[[ $# -gt 0 ]] || { echo "usage: bench-table.sh [--rounds R] [--threads \"1 2\"] MODEL.gguf..." >&2; exit 2; }
echo "| model | threads | prefill tok/s (pp128) | decode tok/s (tg128) |"
echo "|---|---|---|---|"
for model in "$@"; do
    for t in $threads; do
        best_pp=""; best_tg=""
        for ((r = 0; r < rounds; r++)); do
            out="$(node "$DIR/bench.mjs" --model "$model" --pp 128 --tg 128 --reps 5 --threads "$t" 2>/dev/null)"
            pp="$(sed -n 's/^prefill: //p' <<<"$out")"
            tg="$(sed -n 's/^decode: //p' <<<"$out")"
            if [[ -z "$best_pp" ]] || awk -v a="${pp%% *}" -v b="${best_pp%% *}" 'BEGIN{exit !(a > b)}'; then best_pp="$pp"; fi
            if [[ -z "$best_tg" ]] || awk -v a="${tg%% *}" -v b="${best_tg%% *}" 'BEGIN{exit !(a > b)}'; then best_tg="$tg"; fi
        done
        echo "| $(basename "$model" .gguf) | $t | ${best_pp% tok/s*}${best_pp#*tok/s} | ${best_tg% tok/s*}${best_tg#*tok/s} |"
    done
done
