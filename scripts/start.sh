#!/usr/bin/env bash
# The main job: sets everything up, then runs the standalone server — a real named managed by dnsmgr, plus the
# HTTP API — with its state under ./state (override with DNSMGR_ROOT, the listen address with DNSMGR_LISTEN).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DNSMGR_ROOT="${DNSMGR_ROOT:-$PWD/state}"
# Debian starts its own named when bind9 is installed; the standalone server brings its own on the same ports.
if [ -d /run/systemd/system ] && systemctl is-active --quiet named 2>/dev/null; then
  printf 'start: stopping the packaged named service (dnsmgr runs its own named)\n' >&2
  systemctl disable --now named
fi
exec ./addon/dnsmgr run --listen "${DNSMGR_LISTEN:-127.0.0.1:1500}"
