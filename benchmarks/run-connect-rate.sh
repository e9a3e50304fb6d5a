#!/usr/bin/env bash
# Handshake rate with and without a JWT, on the benchmark server on Jetty 12 (Covet at /ws, anonymous allowed):
# the same Node client opens TOTAL connections, CONCURRENCY at a time, each dropped once open; anonymous and JWT
# alternate, ROUNDS times. Usage: benchmarks/run-connect-rate.sh [total=5000] [concurrency=50] [rounds=3]
set -euo pipefail
cd "$(dirname "$0")/.."
TOTAL=${1:-5000} CONCURRENCY=${2:-50} ROUNDS=${3:-3}
PORT=${PORT:-18151}
SECRET=covet-benchmark-secret-covet-benchmark-secret

source benchmarks/common.sh
build_benchmarks
export COVET_BENCH_CONTAINER=jetty
start_server "$PORT" 1g benchmarks/target/connect-server.log

# Warm both paths; not counted.
node benchmarks/loadgen/connect-rate.mjs "ws://127.0.0.1:$PORT/ws" "$TOTAL" "$CONCURRENCY" > /dev/null
node benchmarks/loadgen/connect-rate.mjs "ws://127.0.0.1:$PORT/ws" "$TOTAL" "$CONCURRENCY" "$SECRET" covet-bench covet-bench > /dev/null

results=benchmarks/target/connect-results.jsonl
: > "$results"
for round in $(seq 1 "$ROUNDS"); do
  for auth in none jwt; do
    if [ "$auth" = jwt ]; then
      line=$(node benchmarks/loadgen/connect-rate.mjs "ws://127.0.0.1:$PORT/ws" "$TOTAL" "$CONCURRENCY" "$SECRET" covet-bench covet-bench)
    else
      line=$(node benchmarks/loadgen/connect-rate.mjs "ws://127.0.0.1:$PORT/ws" "$TOTAL" "$CONCURRENCY")
    fi
    echo "round $round $line"
    echo "$line" >> "$results"
  done
done
node -e '
const runs = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rate = (a) => runs.filter((r) => r.auth === a).map((r) => r.rate);
console.log("| handshake | handshakes/s median (min–max) | failed |\n|---|---|---|");
for (const a of ["none", "jwt"]) console.log(`| ${a === "jwt" ? "JWT (HS256) verified" : "anonymous"} | ${median(rate(a))} (${Math.min(...rate(a))}–${Math.max(...rate(a))}) | ${runs.filter((r) => r.auth === a).reduce((s, r) => s + r.failed, 0)} |`);
console.log(`\nratio JWT/anonymous: ${(median(rate("jwt")) / median(rate("none"))).toFixed(2)}`);
' "$results"
