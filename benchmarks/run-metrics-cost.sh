#!/usr/bin/env bash
# The metrics-cost rows of docs/performance.md: the Covet echo route on two server JVMs, one without Micrometer on
# its class path and one with Covet's meters bound to a SimpleMeterRegistry (the handler timer records every call
# with p50/p95/p99); the same Node load generators drive each in turn, alternating, ROUNDS times: the echo load,
# then room fan-out (fanout.mjs: bursts of about 200,000 deliveries to one room of each member count).
# Usage: benchmarks/run-metrics-cost.sh [connections=100] [inFlight=10] [seconds=10] [rounds=4] [members="1000 10000"]
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS=${1:-100} IN_FLIGHT=${2:-10} SECONDS_PER_RUN=${3:-10} ROUNDS=${4:-4} MEMBERS=${5:-"1000 10000"}
BASE=${PORT:-18160}

source benchmarks/common.sh
build_benchmarks
SERVERS=()
trap 'for pid in "${SERVERS[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; done' EXIT
BENCH_CLASSPATH=$(tr ':' '\n' < benchmarks/target/classpath.txt | grep -v '/io/micrometer/' | paste -sd: -) \
  launch_server "$BASE" 1g benchmarks/target/metrics-off.log
SERVERS+=("$LAUNCHED")
launch_server $((BASE + 1)) 1g benchmarks/target/metrics-on.log COVET_BENCH_METERS=simple
SERVERS+=("$LAUNCHED")
grep -q "bound to Micrometer" benchmarks/target/metrics-on.log || { echo "meters not bound" >&2; exit 1; }
if grep -q "bound to Micrometer" benchmarks/target/metrics-off.log; then echo "meters bound without Micrometer" >&2; exit 1; fi

for port in "$BASE" $((BASE + 1)); do
  node benchmarks/loadgen/echo-load.mjs "ws://127.0.0.1:$port/ws" "$CONNECTIONS" "$IN_FLIGHT" 20 2 > /dev/null
done
results=benchmarks/target/metrics-cost-results.jsonl
: > "$results"
# The order alternates too (off first in odd rounds, on first in even ones), so that a bias of the second run of a
# round (the load generator's own warm-up, GC) does not fall on one setup.
order() { if [ $(($1 % 2)) -eq 1 ]; then echo "off on"; else echo "on off"; fi; }
for round in $(seq 1 "$ROUNDS"); do
  for setup in $(order "$round"); do
    port=$([ "$setup" = off ] && echo "$BASE" || echo $((BASE + 1)))
    line=$(node benchmarks/loadgen/echo-load.mjs "ws://127.0.0.1:$port/ws" "$CONNECTIONS" "$IN_FLIGHT" "$SECONDS_PER_RUN" 3)
    line=$(node -e 'const r = JSON.parse(process.argv[1]); r.setup = process.argv[2]; console.log(JSON.stringify(r));' \
      "$line" "$setup")
    echo "round $round $line"
    echo "$line" >> "$results"
  done
done

node -e '
const runs = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rate = {};
console.log("| Covet echo route | msg/s median (min-max) | p50 ms | p99 ms | errors |\n|---|---|---|---|---|");
for (const setup of ["off", "on"]) {
  const rs = runs.filter((r) => r.setup === setup), rates = rs.map((r) => r.rate);
  rate[setup] = median(rates);
  const name = setup === "off" ? "without Micrometer" : "meters bound (SimpleMeterRegistry)";
  console.log(`| ${name} | ${median(rates)} (${Math.min(...rates)}-${Math.max(...rates)}) | ${median(rs.map((r) => r.p50Ms))} | ${median(rs.map((r) => r.p99Ms))} | ${rs.reduce((a, r) => a + r.errors, 0)} |`);
}
console.log(`\nthroughput with meters / without: ${(rate.on / rate.off).toFixed(3)}`);
' "$results"

fanout=benchmarks/target/metrics-cost-fanout.jsonl
: > "$fanout"
for members in $MEMBERS; do
  count=$((200000 / members))
  for round in $(seq 1 "$ROUNDS"); do
    for setup in $(order "$round"); do
      port=$([ "$setup" = off ] && echo "$BASE" || echo $((BASE + 1)))
      line=$(node benchmarks/loadgen/fanout.mjs "ws://127.0.0.1:$port/ws" covet "$members" "$count" 100 3)
      line=$(node -e 'const r = JSON.parse(process.argv[1]); r.setup = process.argv[2]; console.log(JSON.stringify(r));' \
        "$line" "$setup")
      echo "fan-out round $round $line"
      echo "$line" >> "$fanout"
    done
  done
done

node -e '
const runs = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log("\n| members | Covet Rooms.broadcast | deliveries/s median (min-max) | last member median ms | errors |\n|---|---|---|---|---|");
for (const members of [...new Set(runs.map((r) => r.members))]) {
  const rate = {};
  for (const setup of ["off", "on"]) {
    const rs = runs.filter((r) => r.members === members && r.setup === setup);
    const rates = rs.flatMap((r) => r.deliveriesPerSec), lat = rs.flatMap((r) => r.lastMemberMs);
    rate[setup] = median(rates);
    const name = setup === "off" ? "without Micrometer" : "meters bound (SimpleMeterRegistry)";
    console.log(`| ${members} | ${name} | ${median(rates)} (${Math.min(...rates)}-${Math.max(...rates)}) | ${median(lat)} | ${rs.reduce((a, r) => a + r.errors, 0)} |`);
  }
  console.log(`\nfan-out with meters / without at ${members} members: ${(rate.on / rate.off).toFixed(3)}`);
}
' "$fanout"
