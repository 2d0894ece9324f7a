#!/usr/bin/env bash
# Draws the charts of docs/performance.md (docs/images/performance-*.png) from the results files in
# benchmarks/results/, with benchmarks/summarize.py (benchmarks/adaptive.py for I and J) and
# matplotlib; runs no benchmark (seconds).
#
#   benchmarks/charts.sh                         # benchmarks/results -> docs/images
#   benchmarks/charts.sh RESULTS_DIR IMAGES_DIR
#
# Needs matplotlib: uses a python3 that has it (PYTHON, python3 on the PATH, then Debian's
# /usr/bin/python3), else installs the Debian package python3-matplotlib (with sudo unless root).
set -euo pipefail

cd "$(dirname "$0")/.."
has_matplotlib() { command -v "$1" >/dev/null && "$1" -c 'import matplotlib' >/dev/null 2>&1; }

python=""
for candidate in "${PYTHON:-python3}" /usr/bin/python3; do
	if has_matplotlib "$candidate"; then
		python=$candidate
		break
	fi
done
if [[ -z "$python" ]]; then
	echo "charts.sh: no python3 with matplotlib; installing the Debian package python3-matplotlib"
	sudo=""
	[[ $(id -u) -eq 0 ]] || sudo=sudo
	$sudo apt-get update -qq
	$sudo apt-get install -y -qq python3-matplotlib
	python=/usr/bin/python3
	has_matplotlib "$python" || { echo "charts.sh: $python still cannot import matplotlib" >&2; exit 1; }
fi

"$python" benchmarks/summarize.py "${1:-benchmarks/results}" --charts "${2:-docs/images}" > /dev/null
# I and J (adaptive limits), when their results are there.
"$python" benchmarks/adaptive.py "${1:-benchmarks/results}" --charts "${2:-docs/images}" > /dev/null
