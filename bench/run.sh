#!/usr/bin/env bash
# Runs one benchmark program of the bench module on its full class path.
#
#   bench/run.sh SpoolWriteBench [events]
#   bench/run.sh DrainBench [events] [batch]
#   bench/run.sh AlertLatencyBench [events=1000] [rate=100]   # ingest -> webhook notification latency
#
# Builds what is needed first (quietly, without tests). PostgreSQL on 127.0.0.1:5432 is needed by
# the programs that store data, as for the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: bench/run.sh <Program> [args...]" >&2; exit 2; }
program="$1"; shift
./mvnw -q -B -DskipTests install -pl bench -am
exec java -XX:+UseParallelGC -Xmx2g -cp "bench/target/classes:$(cat bench/target/classpath.txt)" "io.vigil.bench.$program" "$@"
