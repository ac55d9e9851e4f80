# Shared by the end-to-end benchmark wrappers (import-bench.sh, net-bench.sh); source it after
# setting $it (integration-tests) and $root (the repository) and $name (for messages).

pick_java() { # the JDK ./tally runs on: the newest >= 21, JAVA_HOME when it is >= 21 (ADR 036)
  local java
  java="$(TALLY_DRY_RUN=1 "$root/tally" version | head -1)"
  [ -n "$java" ] || { echo "Error: $name: ./tally named no Java runtime" >&2; exit 1; }
  echo "$java"
}

jar="$it/target/benchmarks.jar"

stale() {
  [ -f "$jar" ] || return 0
  [ -n "$(find "$root/pom.xml" "$root/core" "$root/storage" "$root/api" "$it/pom.xml" "$it/src" \
      -path '*/target' -prune -o -type f -newer "$jar" \
      \( -name '*.java' -o -name 'pom.xml' -o -name '*.proto' -o -path '*/src/main/resources/*' \) \
      -print -quit 2>/dev/null)" ]
}

prepare_bench() { # installs the Node peers and (re)builds benchmarks.jar when needed
  if [ ! -x "$it/node_modules/.bin/node" ]; then
    echo "$name: installing the Node peers (npm ci)..." >&2
    (cd "$it" && npm ci --no-audit --no-fund --loglevel=error)
  fi
  if stale; then
    echo "$name: building benchmarks.jar..." >&2
    local log
    log="$(mktemp)"
    if ! (cd "$root" && mvn -B -q -DskipTests -Dskip.npm -pl integration-tests -am package >"$log" 2>&1); then
      cat "$log" >&2
      rm -f "$log"
      echo "Error: build failed (see above)" >&2
      exit 1
    fi
    rm -f "$log"
  fi
}
