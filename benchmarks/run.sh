#!/usr/bin/env bash
# Builds benchmarks/target/benchmarks.jar and runs measurements A-D (and CA, F, H) of docs/performance.md with
# the exact settings documented there, writing JMH's JSON and text output to benchmarks/results/
# and a Markdown summary (benchmarks/results/summary.md).
#
#   benchmarks/run.sh                       # A-D (about 15 minutes on 2 cores); CA, F and H are run only when named
#   benchmarks/run.sh A C                   # only some measurements
#   JAVA=/path/to/jdk/bin/java benchmarks/run.sh
#
# JAVA defaults to Temurin 25 where this project's machine has it, else `java` on the PATH.
# D (fan-out) needs Java 21+ for its virtual executors; on an older JVM only its platform pool runs.
set -euo pipefail

cd "$(dirname "$0")/.."
if [[ -z "${JAVA:-}" ]]; then
	if [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
		JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
	else
		JAVA=java
	fi
fi
RESULTS=benchmarks/results
JAR=benchmarks/target/benchmarks.jar
PARTS=("$@")
[[ ${#PARTS[@]} -eq 0 ]] && PARTS=(A B C D)

mvn -B -q -pl benchmarks -am package -DskipTests
mkdir -p "$RESULTS"

feature=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
{
	echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- autoconfigure benchmarks ':!benchmarks/results' || echo ' (with uncommitted changes)')"
	echo "java: $("$JAVA" -version 2>&1 | head -3 | tr '\n' ' ')"
	echo "nproc: $(nproc)"
	echo "cpu: $(lscpu | awk -F': +' '/Model name/ {print $2; exit}')"
	echo "memory: $(free -h | awk '/Mem:/ {print $2 " total, " $7 " available"}')"
	echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$RESULTS/machine.txt"
cat "$RESULTS/machine.txt"

# Same heap for every fork, so that GC does not differ between variants.
JVM_ARGS="-Xms1g -Xmx1g"

run() {
	local name=$1
	shift
	echo "=== $name: $*"
	"$JAVA" -jar "$JAR" "$@" -jvmArgsAppend "$JVM_ARGS" -rf json -rff "$RESULTS/$name.json" -o "$RESULTS/$name.txt"
	tail -n 30 "$RESULTS/$name.txt" | sed -n '/^Benchmark/,$p'
}

for part in "${PARTS[@]}"; do
	case "$part" in
		A) # Round-trip latency, 1 caller, 3 forks.
			run A-latency 'RoundTripBenchmark' -bm avgt -tu us -t 1 -f 3 -wi 3 -w 2s -i 5 -r 2s ;;
		B) # Throughput, 2 callers.
			run B-throughput 'RoundTripBenchmark' -bm thrpt -tu s -t 2 -f 2 -wi 3 -w 2s -i 5 -r 2s ;;
		C) # Allocation per call (gc.alloc.rate.norm), and the cost breakdown.
			run C-allocation 'RoundTripBenchmark|CostBenchmark' -bm avgt -tu us -t 1 -f 1 -wi 3 -w 2s -i 3 -r 2s -prof gc ;;
		CA) # Allocation per call on an adaptive executor against a fixed one (needs adaptive limits).
			run C-adaptive-allocation 'AdaptiveCallBenchmark' -bm avgt -tu us -t 1 -f 2 -wi 3 -w 2s -i 3 -r 2s -prof gc ;;
		D) # Fan-out: 10,000 x 50 ms sleeps.
			if [[ "$feature" =~ ^(1[0-9]|20)$ ]]; then
				echo "D: Java $feature has no virtual threads; running the platform pool only (use a JDK 21+ for all of D)"
				run D-fanout 'FanOutBenchmark' -p executor=platform200 -f 1 -wi 2 -i 5
			else
				run D-fanout 'FanOutBenchmark' -f 1 -wi 2 -i 5
			fi ;;
		F) # A fan-out of 4 calls: OffloadScope against allOf; allocation, then latency (3 forks, short).
			run F-allocation 'FanOutGroupBenchmark' -bm avgt -tu us -t 1 -f 2 -wi 3 -w 2s -i 3 -r 2s -prof gc
			run F-latency 'FanOutGroupBenchmark' -bm avgt -tu us -t 1 -f 3 -wi 2 -w 1s -i 5 -r 1s ;;
		H) # The reactive path: @Offload returning Mono against the boundedElastic idiom, with the
			# caller's context in the Reactor Context; allocation, then latency (3 forks, short).
			run H-allocation 'ReactiveRoundTripBenchmark' -bm avgt -tu us -t 1 -f 1 -wi 3 -w 2s -i 3 -r 2s -prof gc
			run H-latency 'ReactiveRoundTripBenchmark' -bm avgt -tu us -t 1 -f 3 -wi 2 -w 1s -i 5 -r 1s ;;
		*) echo "Unknown part $part (A, B, C, CA, D, F or H)" >&2; exit 2 ;;
	esac
done

python3 benchmarks/summarize.py "$RESULTS" > "$RESULTS/summary.md"
cat "$RESULTS/summary.md"
