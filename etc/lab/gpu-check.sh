#!/bin/bash
# On-GPU validation of gpucolo (docs/PROBE.md, "On-GPU validation"): run as root from the repository root of a built
# checkout on a GPU node, before enabling the hooks. Needs the NVIDIA driver and nvidia-cuda-mps-control; uses a
# scratch directory and its own private MPS daemons, never the node's. Every step is bounded and independent.
#   etc/lab/gpu-check.sh [OUT_DIR]        (OUT_DIR default /tmp/gpucolo-gpu-check: log, probe YAML, profile)
# JAVA_HOME / GPUCOLO_JAR are honoured as by bin/gpucolo.
set -u
OUT=${1:-/tmp/gpucolo-gpu-check}
mkdir -p "$OUT"
G=$(cd "$(dirname "$0")/../.." && pwd)/bin/gpucolo
step() { echo; echo "=== $(date -u +%T) $*"; }
{
step environment
uname -r; nvidia-smi --query-gpu=name,driver_version,memory.total,compute_mode --format=csv
MPSC=$(command -v nvidia-cuda-mps-control || true); echo "mps control: ${MPSC:-none}"
step "probe (expect the node's GPUs as cluster-file YAML, exit 0)"
timeout 60 "$G" probe --node "$(hostname -s)" > "$OUT/probe.yaml"; echo "probe rc=$?"; cat "$OUT/probe.yaml"
step "kernels: the shipped PTX, then auto (NVRTC when JCuda's libnvrtc.so.12 loads, else the PTX)"
for m in ptx auto; do
  GPUCOLO_CUDA_COMPILER=$m GPUCOLO_GPU_BACKEND=cuda timeout 60 "$G" emu-train --iterations 3 --iteration-ms 50 2>&1 | tail -1
  echo "compiler $m rc=${PIPESTATUS[0]}"
done
if [ -z "$MPSC" ]; then echo "no nvidia-cuda-mps-control: MPS steps skipped"; exit 1; fi
step "hooks with the real MPS daemon: prolog, taskprolog, a training stand-in under MPS, epilog"
W=$(mktemp -d /tmp/gpucolo-gpu-check.XXXXXX); mkdir -p "$W/state/decisions"
printf 'mps_control = %s\nmps_pipe_root = %s/mps\nmps_log_root = %s/mpslog\nstate_dir = %s/state\nnoded_socket = %s/noded.sock\n' \
  "$MPSC" "$W" "$W" "$W" "$W" > "$W/node.conf"
N=$(hostname -s)
echo "gpucolo:train id=d1 gpu=$N:g0 share=30 mem=8192" > "$W/state/decisions/900001"
hook() { SLURM_JOB_ID=900001 SLURM_JOB_UID=0 SLURMD_NODENAME=$N SLURM_JOB_GPUS=0 timeout 60 "$G" "$@" --config "$W/node.conf"; }
hook prolog; echo "prolog rc=$?"
echo get_default_active_thread_percentage | CUDA_MPS_PIPE_DIRECTORY=$W/mps/g0 timeout 10 "$MPSC"; echo
hook taskprolog > "$W/exports"; echo "taskprolog rc=$?"; cat "$W/exports"
( eval "$(cat "$W/exports")"; GPUCOLO_GPU_BACKEND=cuda timeout 60 "$G" emu-train --iterations 20 --iteration-ms 100 2>&1 | tail -1 ) &
train=$!
sleep 6; echo "MPS servers: $(echo get_server_list | CUDA_MPS_PIPE_DIRECTORY=$W/mps/g0 timeout 10 "$MPSC")"
wait $train; echo "training under MPS rc=$?"
hook epilog; echo "epilog rc=$?"
sleep 1; pgrep -a -f "nvidia-cuda-mps-control -d" | grep -v pgrep || echo "no MPS control daemon left"
step "calibration profile under a private MPS daemon (small grid)"
P=$W/mps-prof
mkdir -p "$P/pipe" "$P/log"
CUDA_VISIBLE_DEVICES=0 CUDA_MPS_PIPE_DIRECTORY=$P/pipe CUDA_MPS_LOG_DIRECTORY=$P/log "$MPSC" -d; sleep 1
CUDA_VISIBLE_DEVICES=0 CUDA_MPS_PIPE_DIRECTORY=$P/pipe CUDA_MPS_LOG_DIRECTORY=$P/log timeout 300 "$G" probe --profile \
  --out "$OUT/gpu0.profile" --shares 100,25 --batches 1,16 --training 0:0,100:1 --iterations 30; echo "profile rc=$?"
echo quit | CUDA_MPS_PIPE_DIRECTORY=$P/pipe timeout 20 "$MPSC"
[ -f "$OUT/gpu0.profile" ] && "$G" model check-profile "$OUT/gpu0.profile"
rm -rf "$W"
step done
} 2>&1 | tee "$OUT/gpu-check.log"
