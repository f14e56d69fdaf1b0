#!/bin/bash
# Stops only what bringup.sh started, by recorded PID (SLURM.md §3.4): cancels jobs while the daemons are
# up, TERMs the daemons (KILL after 10 s), then kills stray slurmstepd of THIS lab and their children by PID.
LAB=${LAB:-/tmp/gpucolo-lab}; export SLURM_CONF=$LAB/etc/slurm.conf
if kill -0 "$(cat $LAB/run/slurmctld.bgpid 2>/dev/null)" 2>/dev/null && kill -0 "$(cat $LAB/run/slurmd.bgpid 2>/dev/null)" 2>/dev/null; then
  scancel --state=PENDING --quiet 2>/dev/null; ids=$(squeue -h -o %i 2>/dev/null)
  # shellcheck disable=SC2086
  [ -n "$ids" ] && scancel $ids 2>/dev/null
  for i in $(seq 75); do [ -z "$(squeue -h -o %i 2>/dev/null)" ] && break; sleep 0.2; done
fi
stop() {  # $1=name $2=pidfile : TERM, wait <=10 s, then KILL
  [ -f "$2" ] || return 0
  local p; p=$(cat "$2")
  if kill -TERM "$p" 2>/dev/null; then
    for i in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$p" 2>/dev/null && { echo "$1 ($p) ignored TERM -> KILL"; kill -KILL "$p"; }
    echo "stopped $1 pid $p"
  fi
  rm -f "$2"
}
stop slurmd     $LAB/run/slurmd.bgpid &
stop slurmctld  $LAB/run/slurmctld.bgpid &
wait
stop munged $LAB/run/munged.pid        # only present if bringup.sh started munged
descendants() { local c; for c in $(pgrep -P "$1"); do echo -n "$c "; descendants "$c"; done; }
for e in /proc/[0-9]*/environ; do
  p=${e#/proc/}; p=${p%/environ}
  grep -qzx "SLURM_CONF=$SLURM_CONF" "$e" 2>/dev/null || continue
  [ "$(cat /proc/$p/comm 2>/dev/null)" = slurmstepd ] || continue
  kids=$(descendants "$p")
  echo "killing stray slurmstepd $p and its job processes: $kids"
  # shellcheck disable=SC2086
  kill -KILL $kids "$p" 2>/dev/null
done
true
