#!/usr/bin/env bash
# G: the event loop stays free. The WebFlux sample with the bench profile (its upstream answers in
# 100 ms); wrk loads an endpoint whose handler makes that 100 ms blocking call, offloaded
# (/api/upstream) or on the event loop (/api/blocking-on-loop), at 50 and 200 connections, while a
# second client measures the latency of the trivial /api/ping on the same server: two curl loops,
# one request after another for DURATION - 2 seconds, each request timed to its end (a ping stuck
# behind a blocked event loop is counted with its whole wait, even past the load's end).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}            # seconds of each load run; /api/ping is measured for DURATION - 2
WARMUP=${WARMUP:-5}
OUT=${OUT:-benchmarks/results/G-event-loop.txt}
PORT=${PORT:-8090}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
mvn -B -q -pl sample-webflux -am package -DskipTests
java ${BENCH_JAVA_OPTS:-} -jar sample-webflux/target/offload-sample-webflux-0.1.0-SNAPSHOT.jar \
	--spring.profiles.active=bench --server.port="$PORT" ${BENCH_APP_ARGS:-} > benchmarks/results/G-app.log 2>&1 &
app=$!
trap 'kill $app 2>/dev/null; wait $app 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf -o /dev/null "localhost:$PORT/actuator/health" && break; sleep 1; done
auth="Authorization: Basic $(printf 'alice:alice-pw' | base64)"
base="http://localhost:$PORT/api"
tmp=$(mktemp -d)

# wrk's "Latency Distribution" line for a percentile, and its requests/s.
percentile() { awk -v p="$2%" '$1 == p { print $2 }' "$1"; }
rps() { awk '/^Requests\/sec/ { print $2 }' "$1"; }
# One curl loop of pings for $1 seconds, appending each request's time (ms) to $2.
pings() {
	local until=$((SECONDS + $1))
	while [ $SECONDS -lt $until ]; do
		curl -s -o /dev/null -m 60 -u alice:alice-pw -w '%{time_total}\n' "$base/ping" | awk '{ printf "%.1f\n", $1 * 1000 }' >> "$2"
	done
}
# The p-th percentile (nearest rank) of the times in $1, in ms.
rank() { sort -n "$1" | awk -v p="$2" '{ v[NR] = $1 } END { if (NR == 0) { print "none"; exit } i = int((p * NR + 99) / 100); if (i < 1) i = 1; print v[i] " ms" }'; }

{
	echo "# G: wrk against the WebFlux sample ($(java -version 2>&1 | head -n 1)), profile bench ${BENCH_APP_ARGS:-}"
	echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
	for endpoint in upstream blocking-on-loop; do
		wrk -t1 -c50 -d"${WARMUP}s" -H "$auth" "$base/$endpoint" > /dev/null
	done
	wrk -t1 -c2 -d"${WARMUP}s" -H "$auth" "$base/ping" > /dev/null
	: > "$tmp/ping.txt"
	pings 3 "$tmp/ping.txt"
	echo "## /api/ping alone, 1 curl loop, 3 s: $(wc -l < "$tmp/ping.txt") requests, p50 $(rank "$tmp/ping.txt" 50), p99 $(rank "$tmp/ping.txt" 99)"
	summary=()
	for endpoint in upstream blocking-on-loop; do
		for connections in 50 200; do
			wrk -t1 -c"$connections" -d"${DURATION}s" --timeout 30s --latency -H "$auth" "$base/$endpoint" \
				> "$tmp/load.txt" &
			load=$!
			sleep 1
			: > "$tmp/ping.txt"
			pings "$((DURATION - 2))" "$tmp/ping.txt" &
			first=$!
			pings "$((DURATION - 2))" "$tmp/ping.txt" &
			second=$!
			wait $first $second $load
			echo "## /api/$endpoint, $connections connections"
			cat "$tmp/load.txt"
			echo "## /api/ping meanwhile, 2 curl loops: $(wc -l < "$tmp/ping.txt") requests, ms each"
			sort -n "$tmp/ping.txt" | tr '\n' ' '
			echo
			summary+=("| \`/api/$endpoint\` | $connections | $(rps "$tmp/load.txt") | $(percentile "$tmp/load.txt" 50) | $(percentile "$tmp/load.txt" 99) | $(rank "$tmp/ping.txt" 50) | $(rank "$tmp/ping.txt" 99) | $(wc -l < "$tmp/ping.txt") |")
		done
	done
	echo "## Summary"
	echo "| blocking endpoint | connections | its requests/s | its p50 | its p99 | /api/ping p50 | /api/ping p99 | pings answered |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	printf '%s\n' "${summary[@]}"
} | tee "$OUT"
rm -rf "$tmp"
