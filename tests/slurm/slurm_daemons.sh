# Sourced by the Slurm tests: a private one-node Slurm (munged, slurmctld,
# slurmd) under a temporary folder, on free ports, configured for this
# machine, so nothing in /etc is used or changed and two test runs on one
# machine do not meet. Everything it starts is stopped by pk_slurm_stop,
# which the caller runs from an EXIT trap.
#   pk_slurm_start DIR   writes DIR/slurm.conf, starts the daemons, exports
#                        SLURM_CONF; returns non-zero (with the logs) on failure
#   pk_slurm_stop        cancels the jobs, stops the daemons by pid, and ends
#                        any process still carrying this SLURM_CONF
#   pk_job_states ID     the JobState of every job (array task) of ID
# PK_SLURM_GPUS=N before pk_slurm_start declares N stand-in GPUs (GRES gpu)
# whose device files are character devices with /dev/null's numbers: Slurm
# then allocates and binds "GPUs" (CUDA_VISIBLE_DEVICES per task) on a machine
# without one, so the GPU jobscripts' Slurm options can be exercised. If the
# device files cannot be made, no GPUs are declared (pk_slurm_gpus=0).

pk_slurm_dir=""
pk_free_ports() {  # two TCP ports free right now on this machine
  /usr/bin/python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("", 0))
print(*[x.getsockname()[1] for x in s])'
}

pk_slurm_start() {
  local d=$1 host cpus mem ports
  pk_slurm_dir=$d
  mkdir -p "$d"/{state,spool,log,run,munge}
  chmod 755 "$d"
  # munge: own key, socket, pid and log files; the socket folder must be
  # traversable by everyone and writable by munge only.
  chown munge:munge "$d/munge" && chmod 755 "$d/munge" || return 1
  dd if=/dev/urandom of="$d/munge/munge.key" bs=1024 count=1 status=none
  chown munge:munge "$d/munge/munge.key" && chmod 400 "$d/munge/munge.key"
  runuser -u munge -- /usr/sbin/munged --socket="$d/munge/munge.socket" --key-file="$d/munge/munge.key" \
      --log-file="$d/munge/munged.log" --pid-file="$d/munge/munged.pid" --seed-file="$d/munge/munged.seed" ||
    { cat "$d/munge/munged.log"; return 1; }
  munge -S "$d/munge/munge.socket" -n | unmunge -S "$d/munge/munge.socket" >/dev/null ||
    { echo "munge credential round trip failed"; return 1; }
  host=$(hostname -s)
  # The node as slurmd sees it (sockets, cores, threads), 512 MB below its memory.
  local node
  node=$(slurmd -C | head -1)
  mem=$(grep -o 'RealMemory=[0-9]*' <<<"$node" | cut -d= -f2)
  node=$(sed -E "s/RealMemory=[0-9]+/RealMemory=$((mem > 1024 ? mem - 512 : mem))/" <<<"$node")
  read -r -a ports <<<"$(pk_free_ports)"
  pk_slurm_gpus=0
  local gres_types="" gres_node=""
  if (( ${PK_SLURM_GPUS:-0} > 0 )); then
    mkdir -p "$d/dev"
    local g ok=1
    for ((g = 0; g < PK_SLURM_GPUS; g++)); do mknod "$d/dev/nvidia$g" c 1 3 2>/dev/null || ok=0; done
    if (( ok )); then
      pk_slurm_gpus=$PK_SLURM_GPUS
      gres_types="GresTypes=gpu"
      gres_node="Gres=gpu:$pk_slurm_gpus"
      echo "NodeName=$host Name=gpu File=$d/dev/nvidia[0-$((pk_slurm_gpus - 1))]" > "$d/gres.conf"
    fi
  fi
  cat > "$d/slurm.conf" <<CONF
# Written by tests/slurm/slurm_daemons.sh for one test run.
ClusterName=pktest
SlurmctldHost=$host
SlurmctldPort=${ports[0]}
SlurmdPort=${ports[1]}
# Job ids distinct from a concurrent test run's (derived from this run's
# port): PMIx names its temporary folders after job and step ids.
FirstJobId=$(( ports[0] * 100 ))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$d/munge/munge.socket
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/run/slurmctld.pid
SlurmdPidFile=$d/run/slurmd.pid
SlurmctldLogFile=$d/log/slurmctld.log
SlurmdLogFile=$d/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/affinity
SelectType=select/cons_tres
# Logical CPUs as the unit: a 2-CPU machine with 2 threads per core still runs 2 tasks.
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
ReturnToService=2
MpiDefault=none
MinJobAge=3600
KillWait=10
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
$gres_types
$node $gres_node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=pktest Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF=$d/slurm.conf
  slurmctld -f "$SLURM_CONF" -i || { cat "$d/log/slurmctld.log"; return 1; }
  slurmd -f "$SLURM_CONF" || { cat "$d/log/slurmd.log"; return 1; }
  local i
  for i in $(seq 1 60); do
    sinfo -h -o %t 2>/dev/null | grep -qx idle && return 0
    sleep 0.5
  done
  echo "the node did not become idle:"; sinfo; tail -20 "$d/log/slurmctld.log" "$d/log/slurmd.log"
  return 1
}

pk_pid_alive() { [[ -n $1 ]] && kill -0 "$1" 2>/dev/null; }

pk_slurm_stop() {
  [[ -n $pk_slurm_dir ]] || return 0
  local d=$pk_slurm_dir pids=() p i
  if [[ -f $d/slurm.conf ]]; then
    export SLURM_CONF=$d/slurm.conf
    scancel --user="$(id -un)" 2>/dev/null
    for i in $(seq 1 20); do [[ -z $(squeue -h 2>/dev/null) ]] && break; sleep 0.5; done
    for f in "$d/run/slurmd.pid" "$d/run/slurmctld.pid"; do [[ -f $f ]] && pids+=("$(cat "$f")"); done
    scontrol shutdown >/dev/null 2>&1
  fi
  # The daemons by the pids they wrote: TERM, then KILL after 10 s.
  for i in $(seq 1 20); do
    local alive=0
    for p in "${pids[@]}"; do pk_pid_alive "$p" && alive=1; done
    (( alive )) || break
    (( i == 10 )) && for p in "${pids[@]}"; do pk_pid_alive "$p" && kill -TERM "$p"; done
    sleep 0.5
  done
  for p in "${pids[@]}"; do pk_pid_alive "$p" && kill -KILL "$p"; done
  # Job processes (slurmstepd, srun, the program) can outlive slurmd: end,
  # each by its pid, every process whose environment names this run's
  # slurm.conf (they were all started by this test or by its daemons).
  for e in /proc/[0-9]*/environ; do
    p=${e#/proc/}; p=${p%/environ}
    [[ $p == "$$" || $p == "$BASHPID" ]] && continue
    tr '\0' '\n' 2>/dev/null < "$e" | grep -qxF "SLURM_CONF=$d/slurm.conf" && kill -KILL "$p" 2>/dev/null
  done
  if [[ -f $d/munge/munged.pid ]]; then
    p=$(cat "$d/munge/munged.pid")
    pk_pid_alive "$p" && kill -TERM "$p"
    for i in $(seq 1 20); do pk_pid_alive "$p" || break; sleep 0.25; done
    pk_pid_alive "$p" && kill -KILL "$p"
  fi
  pk_slurm_dir=""
}

pk_job_states() {  # pk_job_states JOBID: one JobState per job / array task
  scontrol show job "$1" -o 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2
}
