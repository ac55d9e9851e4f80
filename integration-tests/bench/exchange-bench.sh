#!/usr/bin/env bash
# End-to-end exchange benchmark (issue 6): dev.tally.bench.ExchangeBench, built and started the way
# import-bench.sh does it (newest JDK >= 21, benchmarks.jar rebuilt when stale). Arguments pass
# through, e.g. --size-mib 1024 --runs 1 --no-node. The heap is capped at 256 MiB unless
# BENCH_JAVA_OPTS says otherwise: that cap is part of what it shows (no transfer holds a file).
set -euo pipefail
BENCH_MAIN=dev.tally.bench.ExchangeBench BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:--Xmx256m}" \
  exec "$(dirname "${BASH_SOURCE[0]}")/import-bench.sh" "$@"
