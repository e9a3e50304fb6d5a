#!/usr/bin/env bash
# Side by side, one run, one machine, one Node load generator design (benchmarks/loadgen/fanout.mjs): room fan-out
# on bare JSR-356 Jetty 12 (one send per frame, and with the container's batching), Covet on Jetty 12 + Weld,
# Covet on Tyrus + Weld, and Socket.IO 4.8 (Node, in-memory adapter, documented defaults) as the reference.
# The servers run at once (an idle one costs nothing measurable); targets alternate within each round.
# Every line of benchmarks/target/side-by-side.jsonl is one fanout.mjs run plus the server CPU it cost.
# Usage: [TARGETS="jetty-covet socketio ..."] benchmarks/run-side-by-side.sh [rounds=3] [member counts="1000 10000"]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
COUNTS=${2:-"1000 10000"}
JETTY=${JETTY_PORT:-18131}
TYRUS=${TYRUS_PORT:-18132}
SOCKETIO=${SOCKETIO_PORT:-18133}

source benchmarks/common.sh
build_benchmarks
launch_side_by_side "$JETTY" "$TYRUS" "$SOCKETIO" 2g side

results=benchmarks/target/side-by-side.jsonl
: > "$results"
for members in $COUNTS; do
  count=$((200000 / members))
  for round in $(seq 1 "$ROUNDS"); do
    for target in ${TARGETS:-jetty-bare jetty-bare-batch jetty-covet tyrus-covet socketio}; do
      case $target in
        jetty-bare) url="ws://127.0.0.1:$JETTY/bare-fanout" mode=bare pid=$JETTY_PID ;;
        jetty-bare-batch) url="ws://127.0.0.1:$JETTY/bare-fanout" mode=bare-batch pid=$JETTY_PID ;;
        jetty-covet) url="ws://127.0.0.1:$JETTY/ws" mode=covet pid=$JETTY_PID ;;
        tyrus-covet) url="ws://127.0.0.1:$TYRUS/ws" mode=covet pid=$TYRUS_PID ;;
        socketio) url="ws://127.0.0.1:$SOCKETIO/socket.io/?EIO=4&transport=websocket" mode=socketio pid=$SOCKETIO_PID ;;
      esac
      before=$(cpu "$pid")
      line=$(SERVER_PID=$pid node benchmarks/loadgen/fanout.mjs "$url" "$mode" "$members" "$count" 100 3 || true)
      ticks=$(( $(cpu "$pid") - before ))
      line="{\"target\":\"$target\",\"cpuTicks\":$ticks,\"hz\":$(getconf CLK_TCK),${line#\{}"
      echo "round $round $line"
      echo "$line" >> "$results"
    done
  done
done
node benchmarks/loadgen/side-by-side-table.mjs "$results"
