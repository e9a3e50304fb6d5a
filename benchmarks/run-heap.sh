#!/usr/bin/env bash
# Heap per idle connection for docs/performance.md: one server JVM (Tyrus + Weld SE); COUNT idle connections
# to the bare JSR-356 endpoint, then COUNT authenticated (JWT) idle connections to Covet; live heap after a full
# GC (jmap -histo:live) before and while they are open. Both send the same Authorization header, because the
# container keeps request headers per connection whether or not an application reads them.
# With HISTO=1, also writes benchmarks/target/heap-histo-<endpoint>.txt: the classes that grew, in bytes per
# connection (where the heap goes: the container, Covet, Weld).
# Usage: [COVET_BENCH_CONTAINER=jetty] [HISTO=1] benchmarks/run-heap.sh [count=10000] [rounds=2]
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-10000} ROUNDS=${2:-2}
PORT=${PORT:-18127}
SECRET=covet-benchmark-secret-covet-benchmark-secret

source benchmarks/common.sh
build_benchmarks
start_server "$PORT" 2g benchmarks/target/heap-server.log

live_heap() { jmap -histo:live "$SERVER" > benchmarks/target/heap-histo-now.txt; awk '$1 == "Total" {print $3}' benchmarks/target/heap-histo-now.txt; }

# histo_diff BEFORE AFTER OUT: bytes and instances per connection of each class that grew, largest first.
histo_diff() {
  awk -v count="$COUNT" 'FNR == NR && $1 ~ /^[0-9]+:$/ {before[$4] = $3; nb[$4] = $2; next}
    $1 ~ /^[0-9]+:$/ {d = $3 - before[$4]; if (d > 0) printf "%9.1f %7.2f %s\n", d / count, ($2 - nb[$4]) / count, $4}' \
    "$1" "$2" | sort -rn | awk 'NR <= 40' > "$3"
}

measure() {
  local path=$1; shift
  local before after line
  before=$(live_heap)
  cp benchmarks/target/heap-histo-now.txt benchmarks/target/heap-histo-before.txt
  coproc IDLE { node benchmarks/loadgen/idle-connections.mjs "ws://127.0.0.1:$PORT/$path" "$COUNT" "$@"; }
  read -r line <&"${IDLE[0]}"
  if [[ "$line" != "open $COUNT" ]]; then echo "connections failed: $line" >&2; exit 1; fi
  after=$(live_heap)
  if [ "${HISTO:-0}" = 1 ]; then
    histo_diff benchmarks/target/heap-histo-before.txt benchmarks/target/heap-histo-now.txt \
      "benchmarks/target/heap-histo-$path.txt"
  fi
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
