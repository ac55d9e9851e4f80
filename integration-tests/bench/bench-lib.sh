# Shared by the end-to-end benchmark wrappers (import-bench.sh, net-bench.sh); source it after
# setting $it (integration-tests) and $root (the repository) and $name (for messages).

java_major() { # prints the feature version of the JDK at $1, or nothing
  local rel="$1/release" v
  [ -x "$1/bin/java" ] || return 0
  if [ -f "$rel" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$rel")
  else
    v=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
  fi
  echo "$v"
}

pick_java() { # the newest JDK >= 21, as ./tally picks it; JAVA_HOME wins when it is >= 21
  local best="" best_v=0 home v
  if [ -n "${JAVA_HOME:-}" ] && [ "$(java_major "$JAVA_HOME")" -ge 21 ] 2>/dev/null; then
    echo "$JAVA_HOME/bin/java"; return
  fi
  for home in ${JAVA_HOME:-} /usr/lib/jvm/*; do
    [ -n "$home" ] && [ -d "$home" ] || continue
    v=$(java_major "$home")
    [ -n "$v" ] || continue
    if [ "$v" -gt "$best_v" ]; then best="$home"; best_v="$v"; fi
  done
  if [ "$best_v" -ge 21 ]; then
    echo "$best/bin/java"
  elif [ -n "$best" ]; then
    echo "$name: no JDK >= 21 found; running on Java $best_v (figures will differ)" >&2
    echo "$best/bin/java"
  else
    command -v java || { echo "Error: no Java runtime found (install JDK 17 or newer)" >&2; exit 1; }
  fi
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
