#!/usr/bin/env bash
# Heap per idle connection for docs/performance.md: one server JVM (Tyrus + Weld SE); COUNT idle connections
# to the bare JSR-356 endpoint, then COUNT authenticated (JWT) idle connections to Covet; live heap after a full
# GC (jmap -histo:live) before and while they are open. Both send the same Authorization header, because the
# container keeps request headers per connection whether or not an application reads them.
# Usage: benchmarks/run-heap.sh [count=10000] [rounds=2]
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-10000} ROUNDS=${2:-2}
PORT=${PORT:-18127}
SECRET=covet-benchmark-secret-covet-benchmark-secret

source benchmarks/common.sh
build_benchmarks
start_server "$PORT" 2g benchmarks/target/heap-server.log

live_heap() { jmap -histo:live "$SERVER" | awk '$1 == "Total" {print $3}'; }

measure() {
  local path=$1; shift
  local before after line
  before=$(live_heap)
  coproc IDLE { node benchmarks/loadgen/idle-connections.mjs "ws://127.0.0.1:$PORT/$path" "$COUNT" "$@"; }
  read -r line <&"${IDLE[0]}"
  if [[ "$line" != "open $COUNT" ]]; then echo "connections failed: $line" >&2; exit 1; fi
  after=$(live_heap)
  exec {IDLE[1]}>&-
  wait "$IDLE_PID" || true
  echo "$path $(( (after - before) / COUNT ))"
}

for round in $(seq 1 "$ROUNDS"); do
  measure bare "$SECRET" covet-bench covet-bench
  sleep 3
  measure ws "$SECRET" covet-bench covet-bench
  sleep 3
done | tee benchmarks/target/heap-results.txt
awk '{sum[$1] += $2; n[$1]++} END {
  printf "| endpoint | live heap per idle connection (bytes, mean of %d) |\n|---|---|\n", n["bare"];
  printf "| bare JSR-356 endpoint | %d |\n| Covet (JWT-authenticated) | %d |\n", sum["bare"]/n["bare"], sum["ws"]/n["ws"];
  printf "\nCovet overhead per connection: %d bytes\n", sum["ws"]/n["ws"] - sum["bare"]/n["bare"] }' benchmarks/target/heap-results.txt
