#!/usr/bin/env bash
# Soak (not a CI test): the benchmark server on Jetty 12 (or Tyrus, with COVET_BENCH_CONTAINER=tyrus) holds CONNECTIONS JWT-authenticated connections in ROOMS
# rooms for MINUTES minutes, with heartbeats (the defaults: a ping every 25 s, closed after 20 s unanswered),
# CHURN connections replaced per second and RATE room broadcasts per second (loadgen/soak.mjs checks every one is
# delivered). Once a minute: live heap after a full GC, the server's threads and open file descriptors (and a thread
# dump, benchmarks/target/soak-threads-MINUTE.txt, to look at if something stalled). Prints the
# heap's slope (least squares over the samples after WARMUP minutes) and the load generator's verdict.
# Usage: [COVET_BENCH_CONTAINER=tyrus] benchmarks/run-soak.sh [minutes=30] [connections=10000] [churn=100] [rate=100] [rooms=100] [warmup=5]
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=${1:-30} CONNECTIONS=${2:-10000} CHURN=${3:-100} RATE=${4:-100} ROOMS=${5:-100} WARMUP=${6:-5}
PORT=${PORT:-18161}
SECRET=covet-benchmark-secret-covet-benchmark-secret

source benchmarks/common.sh
build_benchmarks
export COVET_BENCH_CONTAINER=${COVET_BENCH_CONTAINER:-jetty}
start_server "$PORT" 2g benchmarks/target/soak-server.log

samples=benchmarks/target/soak-samples.txt
: > "$samples"
sample() {
  jcmd "$SERVER" GC.run > /dev/null
  local used threads fds
  used=$(jcmd "$SERVER" GC.heap_info | awk '/garbage-first heap/ {for (i = 1; i <= NF; i++) if ($i == "used") {print $(i + 1); exit}}')
  threads=$(awk '/^Threads:/ {print $2}' "/proc/$SERVER/status")
  fds=$(ls "/proc/$SERVER/fd" | wc -l)
  echo "$1 ${used%K} $threads $fds" | tee -a "$samples"
  jstack "$SERVER" > "benchmarks/target/soak-threads-$1.txt" 2>&1 || true
}

node benchmarks/loadgen/soak.mjs "ws://127.0.0.1:$PORT/ws" "$SECRET" covet-bench covet-bench \
  "$CONNECTIONS" "$ROOMS" $((MINUTES * 60)) "$CHURN" "$RATE" 60 > benchmarks/target/soak-load.jsonl &
LOAD=$!
trap 'stop_all $SERVER $LOAD' EXIT
echo "minute heap_kb threads fds"
# The load generator's clock starts once every connection is open.
until grep -qs . benchmarks/target/soak-load.jsonl || ! kill -0 "$LOAD" 2>/dev/null; do sleep 1; done
for minute in $(seq 1 "$MINUTES"); do
  sleep 60
  kill -0 "$LOAD" 2>/dev/null || break
  sample "$minute"
done
status=0
wait "$LOAD" || status=$?
tail -1 benchmarks/target/soak-load.jsonl
awk -v warmup="$WARMUP" '$1 > warmup {n++; sx += $1; sy += $2; sxx += $1 * $1; sxy += $1 * $2}
  NR == 1 || $3 < tmin {tmin = $3} $3 > tmax {tmax = $3} NR == 1 || $4 < fmin {fmin = $4} $4 > fmax {fmax = $4}
  NR == 1 {first = $2} {lastv = $2}
  END {
    slope = n > 1 ? (n * sxy - sx * sy) / (n * sxx - sx * sx) : 0;
    printf "heap after GC: %d KB at minute 1, %d KB at the end; slope after minute %d: %.1f KB/min\n", first, lastv, warmup, slope;
    printf "threads: %d-%d; open file descriptors: %d-%d\n", tmin, tmax, fmin, fmax }' "$samples"
exit "$status"
