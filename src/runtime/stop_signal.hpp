// SIGTERM and SIGUSR1: what Slurm sends before a time limit or on preemption,
// and what mpirun forwards to every rank. The commands that can stop cleanly
// (`kmc`: a checkpoint; `run`: between stages) record the signal from the
// start of the process and stop at their next safe point with exit code 0;
// every other command ends on it as before (the signal's default action).
#pragma once

namespace pk::runtime {

/// Whether subcommand `name` (argv[1]) stops cleanly on SIGTERM/SIGUSR1.
bool stops_cleanly(const char* name);

/// From now on SIGTERM and SIGUSR1 are recorded (stop_signal()) instead of
/// ending the process. Idempotent.
void record_stop_signals();

/// The last SIGTERM/SIGUSR1 recorded on this rank (0: none).
int stop_signal();

}  // namespace pk::runtime
