#!/usr/bin/env bash
# Echo side by side, one run, one machine, one Node load generator (benchmarks/loadgen/echo-load.mjs): the bare
# JSR-356 echo on Jetty 12, Covet's echo route on Jetty 12 + Weld and on Tyrus + Weld, and Socket.IO 4.8's echo
# (socketio-server.mjs), each request answered by one message. Two shapes: 100 connections x 10 in flight and
# 1,000 x 1. Targets alternate within each round; server CPU per answered message from /proc.
# Usage: benchmarks/run-side-by-side-echo.sh [rounds=3] [seconds=10]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
SECONDS_PER_RUN=${2:-10}
JETTY=${JETTY_PORT:-18141}
TYRUS=${TYRUS_PORT:-18142}
SOCKETIO=${SOCKETIO_PORT:-18143}

source benchmarks/common.sh
build_benchmarks
launch_side_by_side "$JETTY" "$TYRUS" "$SOCKETIO" 1g echo

url_of() {
  case $1 in
    jetty-bare) echo "ws://127.0.0.1:$JETTY/bare $JETTY_PID" ;;
    jetty-covet) echo "ws://127.0.0.1:$JETTY/ws $JETTY_PID" ;;
    tyrus-covet) echo "ws://127.0.0.1:$TYRUS/ws $TYRUS_PID" ;;
    socketio) echo "ws://127.0.0.1:$SOCKETIO/socket.io/?EIO=4&transport=websocket $SOCKETIO_PID" ;;
  esac
}
TARGETS=${TARGETS:-jetty-bare jetty-covet tyrus-covet socketio}

# Warm every server's JIT first; not counted.
for target in $TARGETS; do
  read -r url _ <<< "$(url_of "$target")"
  node benchmarks/loadgen/echo-load.mjs "$url" 100 10 10 2 > /dev/null
done

results=benchmarks/target/side-by-side-echo.jsonl
: > "$results"
for shape in "100 10" "1000 1"; do
  read -r connections inflight <<< "$shape"
  for round in $(seq 1 "$ROUNDS"); do
    for target in $TARGETS; do
      read -r url pid <<< "$(url_of "$target")"
      before=$(cpu "$pid")
      line=$(node benchmarks/loadgen/echo-load.mjs "$url" "$connections" "$inflight" "$SECONDS_PER_RUN" 3 || true)
      ticks=$(( $(cpu "$pid") - before ))
      line="{\"target\":\"$target\",\"connections\":$connections,\"inFlight\":$inflight,\"cpuTicks\":$ticks,\"hz\":$(getconf CLK_TCK),${line#\{}"
      echo "round $round $line"
      echo "$line" >> "$results"
    done
  done
done

node -e '
const runs = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const names = { "jetty-bare": "bare JSR-356 echo, Jetty 12", "jetty-covet": "Covet route, Jetty 12 + Weld",
  "tyrus-covet": "Covet route, Tyrus + Weld", socketio: "Socket.IO 4.8 (Node)" };
console.log("| shape | server | msg/s median (min–max) | p50 / p99 ms (medians) | server CPU µs/msg¹ | × Socket.IO | × bare Jetty | errors |");
console.log("|---|---|---|---|---|---|---|---|");
for (const shape of ["100x10", "1000x1"]) {
  const of = (t) => runs.filter((r) => r.target === t && `${r.connections}x${r.inFlight}` === shape);
  const rate = (t) => median(of(t).map((r) => r.rate));
  const ratio = (t, other) => (of(other).length ? (rate(t) / rate(other)).toFixed(2) : "–");
  for (const t of Object.keys(names)) {
    const rs = of(t);
    if (!rs.length) continue;
    const rates = rs.map((r) => r.rate);
    const cpu = median(rs.map((r) => r.cpuTicks / r.hz * 1e6 / r.messages));
    console.log(`| ${shape} | ${names[t]} | ${rate(t)} (${Math.min(...rates)}–${Math.max(...rates)}) | ${median(rs.map((r) => r.p50Ms))} / ${median(rs.map((r) => r.p99Ms))} | ${cpu.toFixed(1)} | ${ratio(t, "socketio")} | ${ratio(t, "jetty-bare")} | ${rs.reduce((a, r) => a + r.errors, 0)} |`);
  }
}
console.log("\n¹ the whole CPU of each run (warm-up included) over its measured messages: an upper bound, the same for every server");
' "$results"
