/* A compute-bound loop with a working set of a few registers: how fast one
   core runs it alone and beside copies of itself on the other cores (is the
   weak-scaling loss of `bench kmc` in the cores themselves?). Prints the
   loop's rate in million iterations per second of wall time.
   Usage: alu_loop ITERATIONS */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char** argv) {
  const uint64_t n = argc > 1 ? strtoull(argv[1], 0, 10) : 400000000ull;
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  /* Four independent multiply-xorshift chains (like Philox's rounds). */
  uint64_t x0 = 1, x1 = 2, x2 = 3, x3 = 4;
  for (uint64_t i = 0; i < n; ++i) {
    x0 = (x0 * 0xD2511F53ull) ^ (x0 >> 29) ^ i;
    x1 = (x1 * 0xCD9E8D57ull) ^ (x1 >> 31) ^ i;
    x2 = (x2 * 0x9E3779B9ull) ^ (x2 >> 27) ^ i;
    x3 = (x3 * 0xBB67AE85ull) ^ (x3 >> 30) ^ i;
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  const double s = (b.tv_sec - a.tv_sec) + 1e-9 * (b.tv_nsec - a.tv_nsec);
  printf("%.2f %llu\n", n / s / 1e6, (unsigned long long)(x0 ^ x1 ^ x2 ^ x3) & 1);
  return 0;
}
