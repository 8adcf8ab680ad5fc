#!/usr/bin/env bash
# Installs what dnsmgr needs on Debian 12, as root: Debian's packages (bind9, bind9-dnsutils, iproute2, lmdb-utils,
# pdns-server and pdns-backend-sqlite3 for NameServer powerdns),
# the npm dependencies, and the build (addon/dnsmgr). Safe to run again: it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*" >&2; }

# command -> Debian package that provides it
declare -A PROVIDES=(
  [named]=bind9 [named-nzd2nzf]=bind9 [rndc]=bind9-utils [named-checkconf]=bind9-utils
  [dig]=bind9-dnsutils [ip]=iproute2 [setpriv]=util-linux [curl]=curl [mdb_load]=lmdb-utils [mdb_dump]=lmdb-utils
  [pdns_server]=pdns-server
)
missing=()
for cmd in "${!PROVIDES[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin" command -v "$cmd" >/dev/null 2>&1 || missing+=("${PROVIDES[$cmd]}")
done
# PowerDNS's SQLite backend: a module and the schema dnsmgr makes each instance's database from.
[ -f /usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql ] || missing+=(pdns-backend-sqlite3)
# GNU time (not the shell's keyword): npm run bench reads a process's CPU and peak memory with it.
[ -x /usr/bin/time ] || missing+=(time)
if [ "${#missing[@]}" -gt 0 ]; then
  mapfile -t packages < <(printf '%s\n' "${missing[@]}" | sort -u)
  say "installing Debian packages: ${packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # The packages' own services (bind9's named, pdns-server's pdns) are not started: dnsmgr runs its own name servers,
  # and a stock one would take port 53 on every address. A policy that refuses service starts is in place for the
  # install only, unless the machine has one already.
  policy=/usr/sbin/policy-rc.d
  own_policy=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# dnsmgr setup.sh: no service starts while it installs packages\nexit 101\n' > "$policy"
    chmod 755 "$policy"
    own_policy=1
  fi
  status=0
  apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null || status=$?
  [ -z "$own_policy" ] || rm -f "$policy"
  [ "$status" -eq 0 ] || exit "$status"
fi

if ! command -v node >/dev/null 2>&1 || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  say "Node.js 20 or newer is required (found: $(node --version 2>/dev/null || echo none))"
  exit 1
fi

# npm dependencies, reinstalled only when the lock file changed since the last install.
stamp=node_modules/.dnsmgr-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  say "installing npm dependencies and building the SQLite binding (better-sqlite3, from source: the step that takes minutes)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
else
  say "npm dependencies are up to date"
fi

say "building addon/dnsmgr"
npm run --silent build
say "ready: addon/dnsmgr built"
