#!/usr/bin/env bash
# The cluster rows of docs/performance.md: room fan-out on one node (rooms in memory) vs two nodes sharing a real
# redis-server (members spread over both, the driver on the first), plus an idle third node that has no member in
# the room. Same Node load generator as run-fanout.sh. Also reports the idle node's CPU time during each run
# (/proc), and Redis commands per room message: two cluster runs with the same members and different message
# counts, so that joins and background traffic cancel out (INFO commandstats). Alternates the setups ROUNDS times.
# Usage: benchmarks/run-cluster-fanout.sh [rounds=3] [member counts="1000 10000"]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
COUNTS=${2:-"1000 10000"}
BASE=${PORT:-18130}
REDIS_PORT=$((BASE + 9))

source benchmarks/common.sh
build_benchmarks

SERVERS=()
REDIS_DIR=$(mktemp -d)
cleanup() {
  for pid in "${SERVERS[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; done
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$REDIS_DIR"
}
trap cleanup EXIT
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --dir "$REDIS_DIR" --daemonize yes \
  --pidfile "$REDIS_DIR/redis.pid" >/dev/null

# node_jvm PORT LOG [REDIS_URI]: one benchmark server JVM, rooms in memory or in the cluster.
node_jvm() {
  local port=$1 log=$2 uri=${3:-}
  local cluster=()
  if [ -n "$uri" ]; then cluster=(COVET_CLUSTER_REDIS_URI="$uri" COVET_CLUSTER_NODE_ID="bench-$port"); fi
  launch_server "$port" 1g "$log" "${cluster[@]}"
  SERVERS+=("$LAUNCHED")
}
node_jvm "$BASE" benchmarks/target/cluster-single.log
node_jvm $((BASE + 1)) benchmarks/target/cluster-a.log "redis://127.0.0.1:$REDIS_PORT"
node_jvm $((BASE + 2)) benchmarks/target/cluster-b.log "redis://127.0.0.1:$REDIS_PORT"
node_jvm $((BASE + 3)) benchmarks/target/cluster-idle.log "redis://127.0.0.1:$REDIS_PORT"
IDLE=${SERVERS[3]}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
redis_calls() { redis-cli -p "$REDIS_PORT" info commandstats | awk -F'[:=,]' '/^cmdstat_/ {n += $3} END {print n}'; }

results=benchmarks/target/cluster-fanout-results.jsonl
: > "$results"
for members in $COUNTS; do
  count=$((200000 / members))
  for round in $(seq 1 "$ROUNDS"); do
    for setup in single cluster; do
      if [ "$setup" = single ]; then urls="ws://127.0.0.1:$BASE/ws"
      else urls="ws://127.0.0.1:$((BASE + 1))/ws,ws://127.0.0.1:$((BASE + 2))/ws"; fi
      idle_before=$(cpu_ticks "$IDLE")
      line=$(node benchmarks/loadgen/fanout.mjs "$urls" covet "$members" "$count" 100 3)
      idle_after=$(cpu_ticks "$IDLE")
      line=$(node -e 'const r = JSON.parse(process.argv[1]); r.setup = process.argv[2];
        r.idleNodeCpuMs = Number(process.argv[3]) * 10; console.log(JSON.stringify(r));' \
        "$line" "$setup" "$((idle_after - idle_before))")
      echo "round $round $line"
      echo "$line" >> "$results"
    done
  done
done

# Redis commands per room message: 1,000 members on both nodes, 20 vs 200 messages per burst (3 bursts each);
# the difference in commands over the difference in messages leaves out the joins and the background.
calls_for() {
  local before after
  before=$(redis_calls)
  node benchmarks/loadgen/fanout.mjs "ws://127.0.0.1:$((BASE + 1))/ws,ws://127.0.0.1:$((BASE + 2))/ws" covet 1000 "$1" 100 3 \
    > /dev/null
  after=$(redis_calls)
  echo $((after - before))
}
few=$(calls_for 20)
many=$(calls_for 200)
echo "Redis commands: $few for 20-message bursts, $many for 200-message bursts"
# Each run posts 5 (warm-up) + 3 x count + 15 messages.
per_message=$(node -e 'console.log(((Number(process.argv[2]) - Number(process.argv[1])) / (3 * 180)).toFixed(2))' \
  "$few" "$many")

node -e '
const runs = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * p))]; };
console.log("| members | setup | deliveries/s median (min-max) | last member p50 ms | p99 ms | idle node CPU ms per run | errors |");
console.log("|---|---|---|---|---|---|---|");
for (const members of [...new Set(runs.map((r) => r.members))]) {
  const rate = {};
  for (const setup of ["single", "cluster"]) {
    const rs = runs.filter((r) => r.members === members && r.setup === setup);
    const rates = rs.flatMap((r) => r.deliveriesPerSec), lat = rs.flatMap((r) => r.lastMemberMs);
    rate[setup] = median(rates);
    const name = setup === "single" ? "one node, in memory" : "two nodes + Redis";
    console.log(`| ${members} | ${name} | ${median(rates)} (${Math.min(...rates)}-${Math.max(...rates)}) | ${median(lat)} | ${pct(lat, 0.99)} | ${median(rs.map((r) => r.idleNodeCpuMs))} | ${rs.reduce((a, r) => a + r.errors, 0)} |`);
  }
  console.log(`\nratio two nodes / one node at ${members} members: ${(rate.cluster / rate.single).toFixed(2)}\n`);
}
' "$results"
echo "Redis commands per room message (two nodes): $per_message"
