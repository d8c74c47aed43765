#!/usr/bin/env bash
# Builds the local images that are missing: base (JRE 17), kafka, registry, app.
#   ops/images/build-all.sh                 # all four
#   ops/images/build-all.sh kafka registry  # only these (the base is built when needed)
# Each build is skipped when its image exists (the app image: when it exists for the current jar).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "${here}/../lib/common.sh"

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(base kafka registry app)

total_start=$(date +%s)
for target in "${targets[@]}"; do
  case "${target}" in
    base)     script="${here}/build-base-rootfs.sh" ;;
    kafka)    script="${here}/kafka/build.sh" ;;
    registry) script="${here}/registry/build.sh" ;;
    app)      script="${here}/app/build.sh" ;;
    *) echo "[build-all] ERROR: unknown image '${target}' (expected base, kafka, registry or app)" >&2; exit 2 ;;
  esac
  t0=$(date +%s)
  "${script}" || { echo "[build-all] ERROR: building the ${target} image failed" >&2; exit 1; }
  echo "[build-all] ${target}: $(( $(date +%s) - t0 ))s"
done
echo "[build-all] done in $(( $(date +%s) - total_start ))s"
docker image ls --format '{{.Repository}}:{{.Tag}}  {{.Size}}' | grep -E '^compliance-local/' | sed 's/^/  /' || true
