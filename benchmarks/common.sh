# Shared by the benchmark scripts: build the benchmark classpath and start the echo server JVM.
# Sourced, not run. After start_server, $SERVER is the server's PID; the caller's EXIT trap stops it.

build_benchmarks() {
  mvn -B -q -pl benchmarks -am -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
  (cd benchmarks/loadgen && npm install --no-audit --no-fund --silent)
}

# launch_server PORT HEAP LOG [ENV...]: starts dev.covet.benchmarks.EchoServer (with the given VAR=value
# environment) in the background, sets $LAUNCHED to its PID and waits until it listens. $BENCH_CLASSPATH, when
# set, replaces the dependency classpath.
launch_server() {
  local port=$1 heap=$2 log=$3
  shift 3
  env "$@" java "-Xms$heap" "-Xmx$heap" -XX:+UseG1GC \
    -cp "benchmarks/target/classes:${BENCH_CLASSPATH:-$(cat benchmarks/target/classpath.txt)}" \
    dev.covet.benchmarks.EchoServer "$port" > "$log" 2>&1 &
  LAUNCHED=$!
  for _ in $(seq 1 60); do
    if grep -qs "ready on port" "$log"; then return 0; fi
    sleep 0.5
  done
  echo "benchmark server on port $port did not start; see $log" >&2
  return 1
}

# stop_all PID...: SIGTERM, up to 15 s for the processes' shutdown hooks, then SIGKILL for what is left (a Jetty
# that had thousands of connections dropped at once was seen waiting forever in its selector's stop).
stop_all() {
  kill "$@" 2>/dev/null || true
  for _ in $(seq 1 30); do
    local alive=0 pid
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && return 0
    sleep 0.5
  done
  kill -9 "$@" 2>/dev/null || true
}

# start_server PORT HEAP LOG: the one server of a benchmark; $SERVER is its PID, stopped on the caller's EXIT.
start_server() {
  trap 'stop_all $SERVER' EXIT
  launch_server "$1" "$2" "$3"
  SERVER=$LAUNCHED
}

# launch_side_by_side JETTY_PORT TYRUS_PORT SOCKETIO_PORT HEAP NAME: the benchmark server on Jetty 12 and on Tyrus,
# and the Socket.IO reference, all at once (logs benchmarks/target/NAME-*.log); sets $JETTY_PID, $TYRUS_PID and
# $SOCKETIO_PID, all stopped on the caller's EXIT.
launch_side_by_side() {
  launch_server "$1" "$4" "benchmarks/target/$5-jetty.log" COVET_BENCH_CONTAINER=jetty
  JETTY_PID=$LAUNCHED
  trap 'stop_all $JETTY_PID ${TYRUS_PID:-} ${SOCKETIO_PID:-}' EXIT
  launch_server "$2" "$4" "benchmarks/target/$5-tyrus.log"
  TYRUS_PID=$LAUNCHED
  node benchmarks/loadgen/socketio-server.mjs "$3" > "benchmarks/target/$5-socketio.log" 2>&1 &
  SOCKETIO_PID=$!
  for _ in $(seq 1 40); do grep -qs "ready on port" "benchmarks/target/$5-socketio.log" && break; sleep 0.25; done
}

# cpu PID: the process's user+system CPU so far, in clock ticks (getconf CLK_TCK per second).
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
