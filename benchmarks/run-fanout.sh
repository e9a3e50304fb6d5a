#!/usr/bin/env bash
# Reproduces the fan-out table of docs/performance.md: one server JVM (Tyrus + Weld SE) with the bare fan-out
# endpoint at /bare-fanout and Covet at /ws; a separate Node `ws` process holds MEMBERS connections in one group
# and asks the server for bursts of broadcasts. Alternates bare and Covet, ROUNDS times, per member count.
# Usage: benchmarks/run-fanout.sh [rounds=2] [member counts="1000 10000"]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-2}
COUNTS=${2:-"1000 10000"}
PORT=${PORT:-18124}

source benchmarks/common.sh
build_benchmarks
start_server "$PORT" 2g benchmarks/target/fanout-server.log

results=benchmarks/target/fanout-results.jsonl
: > "$results"
for members in $COUNTS; do
  # Keep each burst near 200,000 deliveries whatever the group size.
  count=$((200000 / members))
  for round in $(seq 1 "$ROUNDS"); do
    for mode in bare covet; do
      path=$([ "$mode" = bare ] && echo bare-fanout || echo ws)
      line=$(node benchmarks/loadgen/fanout.mjs "ws://127.0.0.1:$PORT/$path" "$mode" "$members" "$count" 100 3)
      echo "round $round $line"
      echo "$line" >> "$results"
    done
  done
done

node -e '
const runs = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log("| members | endpoint | deliveries/s (median) | latency to last member, median ms | p90 ms | errors |");
console.log("|---|---|---|---|---|---|");
for (const members of [...new Set(runs.map((r) => r.members))]) {
  const rate = {};
  for (const mode of ["bare", "covet"]) {
    const rs = runs.filter((r) => r.members === members && r.mode === mode);
    const rates = rs.flatMap((r) => r.deliveriesPerSec), lat = rs.flatMap((r) => r.lastMemberMs).sort((a, b) => a - b);
    rate[mode] = median(rates);
    console.log(`| ${members} | ${mode === "bare" ? "bare loop over sessions" : "Covet Rooms.broadcast"} | ${median(rates)} | ${median(lat)} | ${lat[Math.floor(lat.length * 0.9)]} | ${rs.reduce((a, r) => a + r.errors, 0)} |`);
  }
  console.log(`\nratio Covet/bare at ${members} members: ${(rate.covet / rate.bare).toFixed(2)}\n`);
}
' "$results"
