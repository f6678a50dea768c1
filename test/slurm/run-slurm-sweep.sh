#!/usr/bin/env bash
# A real Slurm test of `acmsim sweep`: installs Debian's Slurm and munge when missing, starts a one-node
# cluster (munged, slurmctld, slurmd; a minimal slurm.conf without cgroups, in a temporary directory),
# submits the 3 x 3 x 5 test sweep as an `sbatch --wait --array` job, collects it, and checks that
# runs.csv and points.csv are byte-identical to the same sweep run locally. It stops everything it
# started, also on failure. Needs root (CI runs as root). Usage: bash test/slurm/run-slurm-sweep.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SWEEP=$ROOT/test/sweep/fixtures/grid.yaml
CLI=$ROOT/dist/src/cli/main.js
log() { echo "slurm-sweep: $*" >&2; }

[ "$(id -u)" = 0 ] || { log "needs root (to install packages and start munged, slurmctld and slurmd)"; exit 2; }
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
  log "installing slurmctld slurmd slurm-client munge"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurmctld slurmd slurm-client munge >/dev/null
fi
[ -f "$CLI" ] || npx tsc -p tsconfig.json

WORK=$(mktemp -d /tmp/acmsim-slurm.XXXXXX)
STARTED_MUNGED=0
JOB_ID=""
export SLURM_CONF=$WORK/slurm.conf

stop_all() {
  local status=$?
  set +e
  if [ -n "$JOB_ID" ] && [ "$status" != 0 ]; then scancel "$JOB_ID" 2>/dev/null; fi
  for name in slurmd slurmctld; do
    if [ -f "$WORK/$name.pid" ]; then
      local pid
      pid=$(cat "$WORK/$name.pid")
      kill "$pid" 2>/dev/null
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
  done
  if [ "$STARTED_MUNGED" = 1 ] && [ -f /run/munge/munged.pid ]; then kill "$(cat /run/munge/munged.pid)" 2>/dev/null; fi
  if [ "$status" != 0 ]; then
    log "FAILED (exit $status); daemon logs follow"
    tail -n 20 "$WORK"/*.log "$WORK"/logs/* 2>/dev/null >&2
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

# munge: the authentication Slurm's daemons and clients share. A munged already running is left alone.
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  [ -f /etc/munge/munge.key ] || { mkdir -p /etc/munge; dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null; chown munge:munge /etc/munge/munge.key; chmod 400 /etc/munge/munge.key; }
  mkdir -p /run/munge && chown munge:munge /run/munge
  runuser -u munge -- /usr/sbin/munged
  STARTED_MUNGED=1
  munge -n | unmunge >/dev/null
fi

# Two free TCP ports, so that this cluster cannot meet another one on the same machine.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
CTLD_PORT=$((20000 + $$ % 20000))
while ! port_free "$CTLD_PORT" || ! port_free $((CTLD_PORT + 1)); do CTLD_PORT=$((CTLD_PORT + 2)); done

HOST=$(hostname -s)
NODE_LINE=$(slurmd -C | head -n 1)
mkdir -p "$WORK/state" "$WORK/spool" "$WORK/logs"
cat >"$SLURM_CONF" <<CONF
ClusterName=acmsimtest
SlurmctldHost=$HOST
SlurmUser=root
AuthType=auth/munge
SlurmctldPort=$CTLD_PORT
SlurmdPort=$((CTLD_PORT + 1))
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/slurmctld.log
SlurmdLogFile=$WORK/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
$NODE_LINE
PartitionName=debug Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF

log "starting slurmctld and slurmd (ports $CTLD_PORT, $((CTLD_PORT + 1))) in $WORK"
slurmctld
slurmd
for _ in $(seq 100); do
  sinfo -h -o '%T' 2>/dev/null | grep -qx idle && break
  sleep 0.3
done
sinfo -h -o '%T' | grep -qx idle || { log "the node did not become idle"; sinfo >&2; exit 1; }

RUNS=$(node "$CLI" sweep "$SWEEP" --emit slurm | sed -n 's/^#SBATCH --array=0-\([0-9]*\)$/\1/p')
node "$CLI" sweep "$SWEEP" --emit slurm --out "$WORK/slurm-out" >"$WORK/sweep.sbatch"
log "submitting $((RUNS + 1)) array tasks"
START_S=$SECONDS
JOB_ID=$(sbatch --parsable --wait --array="0-$RUNS" --output="$WORK/logs/%A_%a.out" "$WORK/sweep.sbatch" | head -n 1) || {
  log "sbatch --wait reported a failed array task"; exit 1;
}
log "array job $JOB_ID finished in $((SECONDS - START_S)) s"

node "$CLI" sweep "$SWEEP" --collect "$WORK/slurm-out"
node "$CLI" sweep "$SWEEP" --out "$WORK/local-out" --quiet
for table in runs.csv points.csv; do
  cmp "$WORK/slurm-out/$table" "$WORK/local-out/$table" || { log "$table differs between Slurm and the local sweep"; exit 1; }
done
log "ok: runs.csv and points.csv from Slurm are byte-identical to the local sweep's ($(wc -l <"$WORK/local-out/runs.csv") and $(wc -l <"$WORK/local-out/points.csv") lines)"
