#!/usr/bin/env bash
# End-to-end networking benchmark (issue 5): builds integration-tests/target/benchmarks.jar when it
# is missing or older than the sources, installs the Node peers when missing, then runs
# dev.tally.bench.NetBench on the newest JDK >= 21 (as ./tally does). Arguments pass through,
# e.g. --size-mib 1024 --runs 5 --dials 1000 --no-node. Extra JVM options: BENCH_JAVA_OPTS
# (default -Xmx2g).
set -euo pipefail
it="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$it/.." && pwd)"
name=net-bench
# shellcheck source=bench-lib.sh
. "$it/bench/bench-lib.sh"
prepare_bench

# shellcheck disable=SC2086
exec "$(pick_java)" ${BENCH_JAVA_OPTS:--Xmx2g} -cp "$jar" dev.tally.bench.NetBench \
  --it-dir "$it" "$@"
