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

# start_server PORT HEAP LOG: the one server of a benchmark; $SERVER is its PID, stopped on the caller's EXIT.
start_server() {
  trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
  launch_server "$1" "$2" "$3"
  SERVER=$LAUNCHED
}
