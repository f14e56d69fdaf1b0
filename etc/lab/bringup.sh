#!/bin/bash
# Starts a one-node Slurm 22.05 lab cluster for gpucolo (adapted from ../shared/docs/SLURM.md §3 and §7):
# munged + slurmctld + slurmd, no systemd, 4 fake GPUs (char devices, nvidia major), one typed GRES per GPU
# (gpu:gN:1 and mps:gN:100 with Flags=all_sharing), more CPUs than the machine has (config_overrides), the
# gpucolo job_submit.lua installed from etc/job_submit.lua.example. All state lives under $LAB.
# Usage (root): LAB=/tmp/gpucolo-lab bash etc/lab/bringup.sh ; then export SLURM_CONF=$LAB/etc/slurm.conf
# Env: LAB (default /tmp/gpucolo-lab), GPUS (4), CPUS (16), HOOK=1 (0: no job_submit plugin), FRESH=1,
#      TASK_PROLOG (unset: none): a TaskProlog path, in slurm.conf from slurmd's start (a later reconfigure
#      reaches slurmd late: the first jobs would miss it),
#      SLURMCTLD_PORT (6817), SLURMD_PORT (6818): a second lab on other ports does not collide with the first,
#      GPUCOLO_PORT (6830): written to $LAB/etc/gpucolo-hook.conf for the hook until admitd rewrites it.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
LAB=${LAB:-/tmp/gpucolo-lab}
NODE=$(hostname -s)
GPUS=${GPUS:-4}
CPUS=${CPUS:-16}
HOOK=${HOOK:-1}
export SLURM_CONF=$LAB/etc/slurm.conf
if [ "$(id -u)" != 0 ]; then echo "bringup.sh: must run as root" >&2; exit 2; fi
for d in slurmctld slurmd; do
  if [ -f $LAB/run/$d.bgpid ] && kill -0 "$(cat $LAB/run/$d.bgpid)" 2>/dev/null; then
    echo "bringup.sh: $d already running (pid $(cat $LAB/run/$d.bgpid)); run teardown.sh first" >&2; exit 1
  fi
done
# FRESH=1: forget old jobs and node state; job ids restart at 1, so old outputs go too (SLURM.md pitfall 10)
[ "${FRESH:-1}" = 1 ] && rm -rf $LAB/state $LAB/out $LAB/hooks/*.log
mkdir -p $LAB/{etc,state/ctld,state/d,log,run,hooks,dev,out}
chmod 755 $LAB $LAB/etc
chmod 1777 $LAB/out

# --- munge (no systemd): reuse a working munged, else start one and remember that we did ---
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  if [ ! -s /etc/munge/munge.key ]; then
    mungekey --create --keyfile=/etc/munge/munge.key
    chown munge:munge /etc/munge/munge.key; chmod 400 /etc/munge/munge.key
  fi
  install -d -o munge -g munge -m 755 /run/munge
  runuser -u munge -- /usr/sbin/munged
  cp /run/munge/munged.pid $LAB/run/munged.pid
  for i in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
fi

# --- fake GPUs: char devices with the nvidia major (open() gives ENXIO) ---
last=$((GPUS - 1))
for i in $(seq 0 $last); do
  [ -e $LAB/dev/nvidia$i ] || mknod $LAB/dev/nvidia$i c 195 $i 2>/dev/null || touch $LAB/dev/nvidia$i
done

# --- prolog/epilog stubs (root, no PATH): log job id so tests can see them run ---
for h in prolog epilog; do
cat > $LAB/hooks/$h.sh <<EOS
#!/bin/sh
echo "$h \$SLURM_JOB_ID \$(/bin/date +%s.%N)" >> $LAB/hooks/$h.log
exit 0
EOS
chmod 755 $LAB/hooks/$h.sh
done

gres_node=""
for i in $(seq 0 $last); do gres_node="${gres_node}gpu:g$i:1,"; done
for i in $(seq 0 $last); do gres_node="${gres_node}mps:g$i:100,"; done
gres_node=${gres_node%,}
if [ "$HOOK" = 1 ]; then SUBMIT="JobSubmitPlugins=lua"; else SUBMIT="#JobSubmitPlugins=lua"; fi

cat > $LAB/etc/slurm.conf <<EOC
ClusterName=lab
SlurmctldHost=$NODE(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=cred_expire=10
MpiDefault=none
SlurmctldPort=${SLURMCTLD_PORT:-6817}
SlurmdPort=${SLURMD_PORT:-6818}
StateSaveLocation=$LAB/state/ctld
SlurmdSpoolDir=$LAB/state/d
SlurmctldPidFile=$LAB/run/slurmctld.pid
SlurmdPidFile=$LAB/run/slurmd.pid
SlurmctldLogFile=$LAB/log/slurmctld.log
SlurmdLogFile=$LAB/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SchedulerParameters=bf_interval=1
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=100
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
MaxJobCount=20000
KillWait=5
Waittime=0
MailProg=/bin/true
$SUBMIT
Prolog=$LAB/hooks/prolog.sh
Epilog=$LAB/hooks/epilog.sh
${TASK_PROLOG:+TaskProlog=$TASK_PROLOG}
PrologFlags=Alloc
SlurmdParameters=config_overrides
GresTypes=gpu,mps
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$CPUS Boards=1 SocketsPerBoard=1 CoresPerSocket=$CPUS ThreadsPerCore=1 RealMemory=16000 Gres=$gres_node State=UNKNOWN
PartitionName=gpu Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
PartitionName=train Nodes=$NODE Default=NO MaxTime=INFINITE State=UP
EOC

{ echo "AutoDetect=off"
  for i in $(seq 0 $last); do echo "NodeName=$NODE Name=gpu Type=g$i File=$LAB/dev/nvidia$i"; done
  for i in $(seq 0 $last); do echo "NodeName=$NODE Name=mps Type=g$i Count=100 File=$LAB/dev/nvidia$i Flags=all_sharing"; done
} > $LAB/etc/gres.conf

# --- the gpucolo hook (must sit next to slurm.conf); its settings file until admitd rewrites it ---
if [ "$HOOK" = 1 ]; then
  install -m 644 "$HERE/../job_submit.lua.example" $LAB/etc/job_submit.lua
  if [ ! -s $LAB/etc/gpucolo-hook.conf ]; then
    cat > $LAB/etc/gpucolo-hook.conf <<EOC
port=${GPUCOLO_PORT:-6830}
secret_file=$LAB/etc/gpucolo.secret
deadline_ms=100
fail_mode=open
fail_open_partition=train
gpus.$NODE=$GPUS
EOC
  fi
  if [ ! -s $LAB/etc/gpucolo.secret ]; then
    (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > $LAB/etc/gpucolo.secret)
  fi
  chmod 600 $LAB/etc/gpucolo.secret
fi

# --- daemons in the foreground, detached (setsid), pids recorded ---
rm -f $LAB/log/*.log
setsid slurmctld -D -i </dev/null >$LAB/log/slurmctld.stdout 2>&1 & echo $! > $LAB/run/slurmctld.bgpid
setsid slurmd -D </dev/null >$LAB/log/slurmd.stdout 2>&1 & echo $! > $LAB/run/slurmd.bgpid
deadline=$((SECONDS+30))
until [ "$(sinfo -h -n $NODE -o '%T' 2>/dev/null | sort -u)" = idle ]; do
  for d in slurmctld slurmd; do
    kill -0 "$(cat $LAB/run/$d.bgpid)" 2>/dev/null || { echo "$d died:" >&2; tail -5 $LAB/log/$d.stdout >&2; exit 1; }
  done
  [ $SECONDS -lt $deadline ] || { echo "timeout waiting for idle node" >&2; sinfo -N -o '%N %T %E' >&2; exit 1; }
  sleep 0.2
done
echo "slurm up: SLURM_CONF=$SLURM_CONF node=$NODE gpus=$GPUS cpus=$CPUS hook=$HOOK"
