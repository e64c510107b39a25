#!/usr/bin/env bash
# Server ingest benchmark (figures in docs/benchmarks.md, "Server ingest"):
# sustained HTTP+gzip+JSON+auth ingest into PostgreSQL, the raw COPY ceiling into the same table,
# latency at 5,000 events/s, and metric sample throughput; then the event query benchmark on
# 1,000,000 events.
#
#   bench/run-ingest.sh [events=300000] [senders=4] [batch=500] [samples=1000000]
#   bench/run-ingest.sh query [events=1000000] [queries=300]
#
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust), as the tests do; each run creates and
# drops its own database.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -DskipTests package -pl bench -am
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
if [ "${1:-}" = query ]; then
  shift
  exec java -XX:+UseParallelGC -Xmx2g -cp "$cp" io.vigil.bench.QueryBench "$@"
fi
exec java -XX:+UseParallelGC -Xmx2g -cp "$cp" io.vigil.bench.IngestBench "$@"
