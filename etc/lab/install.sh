#!/bin/bash
# Installs Slurm 22.05 + munge + lua-socket from Debian packages (idempotent; skips when present).
# Extra Debian package names given as arguments are installed too (CI adds postgresql for the store tests).
set -euo pipefail
need=()
for p in slurmctld slurmd slurm-client munge lua-socket "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "install.sh: need root to install ${need[*]}" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
slurmctld -V
