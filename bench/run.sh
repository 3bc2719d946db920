#!/usr/bin/env bash
# Raises the open-file limit as far as the hard limit allows (10,000 sockets need ~10,000 fds in
# the server and as many in the client process), then runs the orchestrator.
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec node --import tsx bench/run.ts "$@"
