#!/usr/bin/env bash
# End-to-end import benchmark (issue 3): builds integration-tests/target/benchmarks.jar when it is
# missing or older than the sources, installs the Node peers when missing, then runs
# dev.tally.bench.ImportBench on the newest JDK >= 21 (as ./tally does). Arguments pass through,
# e.g. --size-mib 64 --runs 5 --no-node. Extra JVM options: BENCH_JAVA_OPTS (default -Xmx3g).
set -euo pipefail
it="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$it/.." && pwd)"
name=import-bench
# shellcheck source=bench-lib.sh
. "$it/bench/bench-lib.sh"
prepare_bench

# shellcheck disable=SC2086
exec "$(pick_java)" ${BENCH_JAVA_OPTS:--Xmx3g} -cp "$jar" "${BENCH_MAIN:-dev.tally.bench.ImportBench}" \
  --it-dir "$it" "$@"
