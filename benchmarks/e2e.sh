#!/usr/bin/env bash
# E: end to end on the sample app with wrk: the offloaded fan-out against the same four calls made
# one after another on the request thread, at 50 and 400 connections.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-10s}
OUT=${OUT:-benchmarks/results/E-wrk.txt}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
mvn -B -q -pl sample-app -am package -DskipTests
# E2E_APP_ARGS: extra arguments for the app, e.g. slower dependencies:
#   E2E_APP_ARGS="--sample.jdbc.delay=400ms --sample.upstream.delay=600ms --sample.warehouse.delay=500ms"
java ${E2E_JAVA_OPTS:-} -jar sample-app/target/offload-sample-app-0.1.0-SNAPSHOT.jar --spring.profiles.active=bench \
	--logging.level.root=WARN ${E2E_APP_ARGS:-} > benchmarks/results/E-app.log 2>&1 &
app=$!
trap 'kill $app 2>/dev/null; wait $app 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf -o /dev/null localhost:8080/actuator/health && break; sleep 1; done
auth="Authorization: Basic $(printf 'alice:alice-pw' | base64)"
{
	echo "# E: wrk against the sample app ($(java -version 2>&1 | head -n 1)), profile bench ${E2E_APP_ARGS:-}, $DURATION per run"
	for endpoint in fanout sequential; do
		wrk -t2 -c50 -d"$WARMUP" -H "$auth" "http://localhost:8080/api/$endpoint" > /dev/null
		for connections in 50 400; do
			echo "## /api/$endpoint, $connections connections"
			wrk -t2 -c"$connections" -d"$DURATION" --timeout 10s --latency -H "$auth" "http://localhost:8080/api/$endpoint"
		done
	done
} | tee "$OUT"
