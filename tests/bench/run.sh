#!/usr/bin/env bash
# make bench: runs every bench script BENCH_RUNS times (default 3), each
# run's figures in build/bench/run-N.figures, then prints one table of
# the medians beside the peers' figures (tests/bench/report.py, which
# reads the peers from docs/performance.md) and writes
# build/bench/results.json and build/bench/figures (the medians, "name
# value").  The scripts' own output goes to build/test-logs/bench-*.out;
# what is being run is said on stderr.
cd "$(dirname "$0")/../.." || exit 1

runs=${BENCH_RUNS:-3}
scripts="icount blk-bench pageout-bench fs-bench unix-bench net-bench boot-bench"
out=build/bench
case $runs in
'' | *[!0-9]* | 0) echo "bench: BENCH_RUNS must be a number above 0" >&2; exit 1 ;;
esac
mkdir -p "$out" build/test-logs
rm -f "$out"/run-*.figures "$out/results.json" "$out/figures"

files=()
for run in $(seq 1 "$runs"); do
	export BENCH_FIGURES=$out/run-$run.figures
	files+=("$BENCH_FIGURES")
	for script in $scripts; do
		log=build/test-logs/bench-$script-$run.out
		echo "bench: run $run of $runs: $script" >&2
		if ! "tests/boot/$script.sh" >"$log" 2>&1; then
			grep -v '^ok ' "$log"
			echo "bench: $script failed (see $log)"
			exit 1
		fi
	done
done
python3 tests/bench/report.py --peers docs/performance.md --json "$out/results.json" \
	--medians "$out/figures" "${files[@]}"
