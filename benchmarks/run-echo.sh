#!/usr/bin/env bash
# Reproduces the echo table of docs/performance.md: one server JVM (Tyrus + Weld SE) serving a bare JSR-356 echo
# at /bare and the Covet route at /ws; a separate Node `ws` process drives each in turn, ROUNDS times, alternating.
# Usage: benchmarks/run-echo.sh [connections=100] [inFlight=10] [seconds=10] [rounds=3]
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS=${1:-100} IN_FLIGHT=${2:-10} SECONDS_PER_RUN=${3:-10} ROUNDS=${4:-3}
PORT=${PORT:-18123}

source benchmarks/common.sh
build_benchmarks
start_server "$PORT" 1g benchmarks/target/echo-server.log

# Warm the server's JIT on both paths first; these runs are not counted.
for path in bare ws; do
  node benchmarks/loadgen/echo-load.mjs "ws://127.0.0.1:$PORT/$path" "$CONNECTIONS" "$IN_FLIGHT" 20 2 > /dev/null
done

results=benchmarks/target/echo-results.jsonl
: > "$results"
for round in $(seq 1 "$ROUNDS"); do
  for path in bare ws; do
    line=$(node benchmarks/loadgen/echo-load.mjs "ws://127.0.0.1:$PORT/$path" "$CONNECTIONS" "$IN_FLIGHT" "$SECONDS_PER_RUN" 3)
    echo "round $round $path $line"
    echo "$line" >> "$results"
  done
done

node -e '
const runs = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const of = (p) => runs.filter((r) => r.url.endsWith(p));
const bare = of("/bare"), covet = of("/ws");
const row = (name, rs) => `| ${name} | ${median(rs.map((r) => r.rate))} | ${median(rs.map((r) => r.p50Ms))} | ${median(rs.map((r) => r.p99Ms))} | ${rs.reduce((a, r) => a + r.errors, 0)} |`;
console.log("| endpoint | msg/s (median) | p50 ms | p99 ms | errors |\n|---|---|---|---|---|");
console.log(row("bare JSR-356 echo", bare));
console.log(row("Covet route (decode, bind, validate, dispatch, reply)", covet));
console.log(`\nthroughput ratio Covet/bare: ${(median(covet.map((r) => r.rate)) / median(bare.map((r) => r.rate))).toFixed(2)}`);
' "$results"
