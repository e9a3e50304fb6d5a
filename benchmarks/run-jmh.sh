#!/usr/bin/env bash
# Runs the JMH benchmarks (router dispatch) for docs/performance.md. Extra arguments go to JMH.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl benchmarks -am -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" org.openjdk.jmh.Main "${@:-RouterDispatchBenchmark|ProtectionBenchmark}"
