# Sourced by the run-*.sh scripts: sets $here, $root and $jar, building benchmarks/target/benchmarks.jar
# unless BENCH_SKIP_BUILD=1 and it exists.
here="$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
jar="$here/target/benchmarks.jar"
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 || ! -f "$jar" ]]; then
  echo "building $jar ..." >&2
  (cd "$root" && mvn -q -B -pl benchmarks -am package -DskipTests) >&2
fi
