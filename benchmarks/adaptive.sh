#!/usr/bin/env bash
# Measurements I and J of docs/performance.md: adaptive concurrency limits against fixed ones, with
# open-loop load against a downstream model that degrades past its capacity
# (dev.offload.benchmarks.Downstream). Builds benchmarks/target/benchmarks.jar, runs
# dev.offload.benchmarks.AdaptiveLimitsRun, writes I-<variant>.csv/.json and J-<variant>.csv/.json
# to benchmarks/results/ and prints the tables of benchmarks/adaptive.py (also written to
# benchmarks/results/IJ-summary.md). About 12 minutes on 2 cores (I: ~61 s per variant, J: ~66 s).
#
#   benchmarks/adaptive.sh                  # I and J, every variant
#   benchmarks/adaptive.sh I                # only I (or J)
#   I_VARIANTS="fixed16 vegas" J_VARIANTS="vegas" benchmarks/adaptive.sh
#   SKIP_BUILD=1 benchmarks/adaptive.sh     # with the jar already built
#   DEFAULT_ALGORITHM=vegas                 # whose targets the summary checks (the executor default)
#   JAVA_OPTS="-Dphase.scale=0.3" ...       # shorter phases, for a quick look (see AdaptiveLimitsRun)
#
# Variants: fixed<L> (core-size = max-size = L) or an algorithm (vegas, gradient2, aimd; "adaptive" for
# the executor's default). An adaptive variant is skipped, with a message, when the build has no
# adaptive limits. Not part of CI. Draw the charts afterwards with benchmarks/charts.sh.
set -euo pipefail

cd "$(dirname "$0")/.."
if [[ -z "${JAVA:-}" ]]; then
	if [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
		JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
	else
		JAVA=java
	fi
fi
RESULTS=${RESULTS:-benchmarks/results}
JAR=benchmarks/target/benchmarks.jar
I_VARIANTS=${I_VARIANTS:-fixed8 fixed16 fixed64 fixed200 vegas gradient2 aimd}
J_VARIANTS=${J_VARIANTS:-fixed16 vegas gradient2 aimd}
PARTS=("$@")
[[ ${#PARTS[@]} -eq 0 ]] && PARTS=(I J)

[[ -n "${SKIP_BUILD:-}" ]] || mvn -B -q -ntp -pl benchmarks -am package -DskipTests
mkdir -p "$RESULTS"
{
	echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- autoconfigure benchmarks ':!benchmarks/results' || echo ' (with uncommitted changes)')"
	echo "java: $("$JAVA" -version 2>&1 | head -3 | tr '\n' ' ')"
	echo "nproc: $(nproc)"
	echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "parts: ${PARTS[*]}; I: $I_VARIANTS; J: $J_VARIANTS; JAVA_OPTS: ${JAVA_OPTS:-}"
} > "$RESULTS/IJ-machine.txt"
cat "$RESULTS/IJ-machine.txt"

for part in "${PARTS[@]}"; do
	case "$part" in
		I) variants=$I_VARIANTS ;;
		J) variants=$J_VARIANTS ;;
		*) echo "Unknown part $part (I or J)" >&2; exit 2 ;;
	esac
	# shellcheck disable=SC2086
	"$JAVA" -Xms1g -Xmx1g ${JAVA_OPTS:-} -cp "$JAR" dev.offload.benchmarks.AdaptiveLimitsRun "$part" "$RESULTS" $variants \
		| tee "$RESULTS/$part-run.txt"
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$RESULTS/IJ-machine.txt"

python3 benchmarks/adaptive.py "$RESULTS" --default "${DEFAULT_ALGORITHM:-vegas}" > "$RESULTS/IJ-summary.md"
cat "$RESULTS/IJ-summary.md"
