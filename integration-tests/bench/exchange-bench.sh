#!/usr/bin/env bash
# End-to-end exchange benchmark (issue 6): dev.tally.bench.ExchangeBench, built and started the way
# import-bench.sh does it (newest JDK >= 21, benchmarks.jar rebuilt when stale). Arguments pass
# through, e.g. --size-mib 1024 --runs 1 --no-node (--tally-only: the Tally→Tally rows alone). The
# heap defaults to 1 GiB because the seeder-ratio phase runs five nodes in this one JVM; 4 MiB G1
# regions keep 1 MiB blocks out of humongous allocation (with 1 MiB regions every block is one,
# and each forces a collection: ~3x the GC work). BENCH_JAVA_OPTS=-Xmx256m shows that a fetch of
# any size holds no file in memory.
set -euo pipefail
BENCH_MAIN=dev.tally.bench.ExchangeBench BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:--Xmx1g -XX:G1HeapRegionSize=4m}" \
  exec "$(dirname "${BASH_SOURCE[0]}")/import-bench.sh" "$@"
