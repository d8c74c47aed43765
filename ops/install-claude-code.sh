#!/usr/bin/env bash
# Installs the real Claude Code CLI from npm at a pinned version into a cache directory and prints the path of
# its `claude` command. Reused between runs: a second call finds the install and prints the path at once.
#   ops/install-claude-code.sh [VERSION]
# Environment: CLAUDE_CODE_VERSION (default below), COMPLIANCE_CACHE_DIR (default ~/.cache/compliance).
# Needs node and npm (on the build machines); the npm registry is the only network it uses.
set -euo pipefail
version=${1:-${CLAUDE_CODE_VERSION:-2.1.197}}
cache=${COMPLIANCE_CACHE_DIR:-${HOME}/.cache/compliance}
dir="${cache}/claude-code-${version}"
bin="${dir}/node_modules/.bin/claude"

if [ -x "${bin}" ] && [ -f "${dir}/.installed" ]; then
  echo "${bin}"
  exit 0
fi
command -v npm >/dev/null || { echo "install-claude-code: npm is needed (install Node.js 18+ with npm)" >&2; exit 2; }
mkdir -p "${dir}"
log="${dir}/npm-install.log"
echo "install-claude-code: installing @anthropic-ai/claude-code@${version} into ${dir} (about 235 MB, once)" >&2
# A private npm cache next to the install, so a shared ~/.npm is not touched; no audit/fund calls.
if ! npm install --prefix "${dir}" --no-audit --no-fund --no-save --cache "${dir}/.npm-cache" \
      "@anthropic-ai/claude-code@${version}" >"${log}" 2>&1; then
  tail -n 20 "${log}" >&2
  echo "install-claude-code: npm install failed (log: ${log})" >&2
  exit 1
fi
rm -rf "${dir}/.npm-cache"
[ -x "${bin}" ] || { echo "install-claude-code: ${bin} missing after npm install (log: ${log})" >&2; exit 1; }
touch "${dir}/.installed"
echo "${bin}"
