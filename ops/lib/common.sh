# Shared helpers for the ops scripts (sourced, not executed).

# Image names; override from the environment.
: "${BASE_IMAGE:=compliance-local/jre17-base:bookworm}"
: "${LOCAL_KAFKA_IMAGE:=compliance-local/kafka:4.3.1}"
: "${LOCAL_REGISTRY_IMAGE:=compliance-local/schema-registry:2.6.13}"
: "${LOCAL_APP_IMAGE:=compliance-local/compliance-app:dev}"
: "${OFFICIAL_KAFKA_IMAGE:=apache/kafka:4.3.1}"

OPS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO_DIR=$(cd "${OPS_DIR}/.." && pwd)
OPS_BUILD_DIR=${OPS_BUILD_DIR:-${OPS_DIR}/build}

# sha256 of a file (Linux: sha256sum, macOS: shasum).
file_sha256() { if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1"; else shasum -a 256 "$1"; fi | cut -d' ' -f1; }

# Runs a command with a time limit where `timeout` exists (Linux); without it (macOS), unbounded.
with_timeout() { local seconds=$1; shift; if command -v timeout >/dev/null 2>&1; then timeout "${seconds}" "$@"; else "$@"; fi; }

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

image_size() { docker image inspect --format '{{.Size}}' "$1" 2>/dev/null | awk '{printf "%d MB", $1/1000/1000}'; }

# Runs mvn quietly unless OPS_VERBOSE=1.
# (Maven 3.8 prints stray colour-reset codes even in batch mode; they are filtered out.)
mvn_q() {
  if [ "${OPS_VERBOSE:-0}" = 1 ]; then mvn -B "$@"; return; fi
  mvn -q -B "$@" 2>&1 | sed -e $'s/\033\\[0m//g' -e '/^$/d'
  return "${PIPESTATUS[0]}"
}

# docker build with its output in a log file (shown when the build fails).
# Usage: docker_build LOG_NAME docker-build-arguments...
docker_build() {
  local log_file="${OPS_BUILD_DIR}/$1.log"; shift
  mkdir -p "${OPS_BUILD_DIR}"
  if ! docker build "$@" >"${log_file}" 2>&1; then
    tail -n 30 "${log_file}" >&2
    echo "docker build failed (log: ${log_file})" >&2
    return 1
  fi
}

# The machine's Debian mirror for the main suite, read from apt's sources (deb822 or one-line format).
debian_mirror() {
  if [ -n "${DEBIAN_MIRROR:-}" ]; then echo "${DEBIAN_MIRROR}"; return; fi
  local f uri
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    # deb822 stanzas: print the first URI of a stanza whose Suites include exactly "bookworm".
    uri=$(awk 'BEGIN{RS=""; FS="\n"}
      { u=""; s=0; t=0
        for (i=1;i<=NF;i++) {
          if ($i ~ /^URIs:/)   { split($i,a,/[ \t]+/); u=a[2] }
          if ($i ~ /^Types:/ && $i ~ /(^|[ \t])deb([ \t]|$)/) t=1
          if ($i ~ /^Suites:/) { n=split($i,b,/[ \t]+/); for (j=2;j<=n;j++) if (b[j]=="bookworm") s=1 }
        }
        if (u!="" && s && t) { print u; exit } }' "$f")
    [ -n "$uri" ] && { echo "$uri"; return; }
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    uri=$(awk '$1=="deb" { i=2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ } if ($(i+1)=="bookworm") { print $i; exit } }' "$f")
    [ -n "$uri" ] && { echo "$uri"; return; }
  done
  echo "http://deb.debian.org/debian"
}
