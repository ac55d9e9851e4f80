#!/usr/bin/env bash
# End-to-end exchange benchmark (issue 6): dev.tally.bench.ExchangeBench, built and started the way
# import-bench.sh does it (newest JDK >= 21, benchmarks.jar rebuilt when stale). Arguments pass
# through, e.g. --size-mib 1024 --runs 1 --no-node. The heap defaults to 1 GiB because the
# seeder-ratio phase runs five nodes in this one JVM; BENCH_JAVA_OPTS=-Xmx256m shows that a fetch
# of any size holds no file in memory.
set -euo pipefail
BENCH_MAIN=dev.tally.bench.ExchangeBench BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:--Xmx1g}" \
  exec "$(dirname "${BASH_SOURCE[0]}")/import-bench.sh" "$@"
