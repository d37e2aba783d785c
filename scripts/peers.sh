#!/usr/bin/env bash
# Installs what the integration suites need from Debian (Swift, nginx, tgt, QEMU, image tools,
# proliantutils, python-hpilo, ...) and prepares their test media.
#
#   bash scripts/peers.sh          # or: npm run peers
#
# Package lists: scripts/peers.d/*.packages (one package per line, '#' comments).
# Preparation hooks: scripts/peers.d/*.sh, run after the install, each idempotent; they cache
# what they build under .peers/.
# Without root (or apt-get) nothing is installed: the suites whose peers are missing report
# themselves skipped with the reason, unless REQUIRE_PEERS=1, under which they fail.
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t wanted < <(cat scripts/peers.d/*.packages 2>/dev/null | sed 's/#.*//' | tr -s ' \t' '\n' | sed '/^$/d' | sort -u)
missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "peers: installing ${missing[*]}"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "peers: not root or no apt-get; missing, suites will skip: ${missing[*]}" >&2
  fi
else
  echo "peers: all ${#wanted[@]} Debian packages present"
fi

mkdir -p .peers
for hook in scripts/peers.d/*.sh; do
  [ -e "$hook" ] || continue
  echo "peers: $(basename "$hook")"
  bash "$hook"
done
