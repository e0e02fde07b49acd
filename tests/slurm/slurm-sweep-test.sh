#!/usr/bin/env bash
# A real single-node Slurm on 127.0.0.1 (munge + slurmctld + slurmd from
# Debian, all state in a temporary directory): submits a 3-task job array of
# a small sweep plus the dependent merge job (tools/slurm/submit-sweep.sh),
# waits with a bounded timeout, and checks the merged records equal a
# single-process run. Everything it started is shut down whatever happens.
#   tests/slurm/slurm-sweep-test.sh SPECMAMBA_BINARY SOURCE_DIR
# Exit 77 (skipped) when not root or Slurm is not installed.
set -euo pipefail
bin=$(realpath "$1")
src=$(realpath "$2")
if [ "$(id -u)" -ne 0 ]; then echo "skip: the single-node Slurm runs as root (as CI does)"; exit 77; fi
for tool in munged mungekey slurmctld slurmd sbatch squeue sinfo scontrol; do
  if ! command -v "$tool" >/dev/null; then echo "skip: $tool not installed (tools/install-deps.sh installs it)"; exit 77; fi
done

tmp=$(mktemp -d /tmp/specmamba-slurm-XXXXXX)
chmod 755 "$tmp"
export SLURM_CONF=$tmp/slurm.conf
cleanup() {
  set +e
  scontrol shutdown >/dev/null 2>&1
  for pidfile in "$tmp/slurmd.pid" "$tmp/slurmctld.pid" "$tmp/munge/munged.pid"; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
  done
  pkill -9 -f "slurmstepd.*$tmp" 2>/dev/null
  if [ "${status:-1}" -ne 0 ]; then
    for log in "$tmp"/log/*.log "$tmp"/results/logs/*.out; do
      [ -f "$log" ] && { echo "--- $log"; tail -n 30 "$log"; }
    done
  fi
  rm -rf "$tmp"
}
trap 'status=$?; cleanup; exit $status' EXIT

# Ports of our own, away from a Slurm the machine may already run.
base=$((20000 + $$ % 20000))
node=$(hostname -s)
mkdir -p "$tmp/munge" "$tmp/state" "$tmp/spool" "$tmp/log" "$tmp/results"
chmod 700 "$tmp/munge"
mungekey --create --keyfile="$tmp/munge/munge.key" --bits=1024
chmod 400 "$tmp/munge/munge.key"
munged --force --socket="$tmp/munge/socket" --key-file="$tmp/munge/munge.key" \
  --pid-file="$tmp/munge/munged.pid" --seed-file="$tmp/munge/seed" --log-file="$tmp/log/munged.log"

cat >"$SLURM_CONF" <<CONF
ClusterName=specmamba-test
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$base
SlurmdPort=$((base + 1))
AuthType=auth/munge
AuthInfo=socket=$tmp/munge/socket
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
KillWait=5
Waittime=0
NodeName=$node NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"

deadline=$((SECONDS + 60))
until [ "$(sinfo -h -o %T 2>/dev/null)" = "idle" ]; do
  if [ $SECONDS -ge $deadline ]; then echo "FAIL: the Slurm node did not come up within 60 s"; exit 1; fi
  sleep 0.5
done
echo "slurm: node $node idle after $SECONDS s"

sweep=$src/tests/slurm/small-sweep.json
read -r array merge < <(SPECMAMBA=$bin "$src/tools/slurm/submit-sweep.sh" "$sweep" "$tmp/results" 3)
echo "slurm: job array $array (3 tasks), merge job $merge"
deadline=$((SECONDS + 120))
while squeue -h -j "$array,$merge" 2>/dev/null | grep -q .; do
  if [ $SECONDS -ge $deadline ]; then echo "FAIL: the jobs did not finish within 120 s"; squeue; exit 1; fi
  sleep 0.5
done
state=$(scontrol show job "$merge" | grep -o 'JobState=[A-Z]*' | head -1)
echo "slurm: merge job $state after $SECONDS s"
[ "$state" = "JobState=COMPLETED" ] || { echo "FAIL: merge job $state"; exit 1; }
for i in 0 1 2; do
  [ -s "$tmp/results/shard-$i/points.jsonl" ] || { echo "FAIL: shard $i recorded nothing"; exit 1; }
done

"$bin" sweep "$sweep" --out "$tmp/single" --quiet >"$tmp/single.out"
python3 - "$tmp/results/merged/points.jsonl" "$tmp/single/points.jsonl" <<'PY'
import json, sys
def load(path):
    out = {}
    for line in open(path):
        r = json.loads(line)
        r.pop("wall_s"); r.pop("run_s")
        assert r["id"] not in out, f"{path}: {r['id']} twice"
        out[r["id"]] = r
    return out
merged, single = load(sys.argv[1]), load(sys.argv[2])
assert len(single) == 12, f"single-process run has {len(single)} points, want 12"
assert merged == single, "merged Slurm records differ from the single-process run"
print(f"slurm: merged records of 3 array tasks == single-process run ({len(merged)} points)")
PY
cmp "$tmp/results/merged/points.csv" "$tmp/single/points.csv"
cmp "$tmp/results/merged/pareto.csv" "$tmp/single/pareto.csv"
grep -q "12 of 12 points recorded" "$tmp/results/logs/merge.out" || { echo "FAIL: merge summary"; cat "$tmp/results/logs/merge.out"; exit 1; }
echo "slurm: PASS"
