# Shared by the benchmark scripts: build the benchmark classpath and start the echo server JVM.
# Sourced, not run. After start_server, $SERVER is the server's PID; the caller's EXIT trap stops it.

build_benchmarks() {
  mvn -B -q -pl benchmarks -am -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
  (cd benchmarks/loadgen && npm install --no-audit --no-fund --silent)
}

# start_server PORT HEAP LOG: starts dev.covet.benchmarks.EchoServer and waits until it listens.
start_server() {
  local port=$1 heap=$2 log=$3
  java "-Xms$heap" "-Xmx$heap" -XX:+UseG1GC -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
    dev.covet.benchmarks.EchoServer "$port" > "$log" 2>&1 &
  SERVER=$!
  trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
  for _ in $(seq 1 60); do
    if grep -q "ready on port" "$log"; then return 0; fi
    sleep 0.5
  done
  echo "echo server did not start; see $log" >&2
  return 1
}
