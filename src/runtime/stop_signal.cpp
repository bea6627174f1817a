#include "runtime/stop_signal.hpp"

#include <pthread.h>

#include <csignal>
#include <cstring>

namespace pk::runtime {

namespace {
volatile std::sig_atomic_t g_signal = 0;
extern "C" void on_stop_signal(int sig) { g_signal = sig; }
}  // namespace

bool stops_cleanly(const char* name) {
  return name && (std::strcmp(name, "kmc") == 0 || std::strcmp(name, "run") == 0);
}

void record_stop_signals() {
  struct sigaction action;
  std::memset(&action, 0, sizeof action);
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // reads and writes in progress go on
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGUSR1, &action, nullptr);
  // A launcher may hand the signals over blocked (the mask survives exec): a
  // signal pending since before start-up is delivered now, not lost.
  sigset_t stops;
  sigemptyset(&stops);
  sigaddset(&stops, SIGTERM);
  sigaddset(&stops, SIGUSR1);
  pthread_sigmask(SIG_UNBLOCK, &stops, nullptr);
}

int stop_signal() { return g_signal; }

}  // namespace pk::runtime
