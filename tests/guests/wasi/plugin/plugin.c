/*
 * The world `test:wasi-plugin/plugin` in C: `run-checks` uses WASI through
 * plain libc (stdio, getenv, files beneath a preopened directory, clocks,
 * nanosleep, getentropy), which the preview1 reactor adapter turns into
 * WASI 0.2 calls. It returns the same line as `checks.py`; what it cannot
 * do (no such file, no directory) shows in that line, not as a trap.
 */

#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "plugin.h"

static uint64_t monotonic_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The first line of the file at `path` (without its newline) in `buf`, or
 * "(unreadable)". */
static void first_line(const char *path, char *buf, size_t size) {
  FILE *f = fopen(path, "r");
  if (!f || !fgets(buf, (int)size, f)) {
    snprintf(buf, size, "(unreadable)");
  }
  if (f) fclose(f);
  buf[strcspn(buf, "\n")] = 0;
}

void exports_plugin_run_checks(plugin_string_t *dir_arg, plugin_string_t *ret) {
  char dir[256];
  snprintf(dir, sizeof dir, "%.*s", (int)dir_arg->len, (const char *)dir_arg->ptr);
  plugin_string_free(dir_arg);

  printf("plugin: checking %s\n", dir);
  fflush(stdout);

  const char *greeting = getenv("PLUGIN_GREETING");

  char path[512], config[128];
  snprintf(path, sizeof path, "%s/config.txt", dir);
  first_line(path, config, sizeof config);

  snprintf(path, sizeof path, "%s/out.txt", dir);
  FILE *out = fopen(path, "w");
  const char *wrote = "no";
  if (out) {
    if (fputs("written by the plugin\n", out) >= 0) wrote = "yes";
    fclose(out);
  }

  uint64_t start = monotonic_ns();
  struct timespec nap = {0, 10000000};
  nanosleep(&nap, NULL);
  const char *slept = monotonic_ns() - start >= 10000000u ? "yes" : "no";

  unsigned char bytes[16];
  int random = getentropy(bytes, sizeof bytes) == 0 ? (int)sizeof bytes : -1;

  char line[512];
  snprintf(line, sizeof line, "greeting=%s; config=%s; wrote=%s; slept=%s; random=%d bytes",
           greeting ? greeting : "(unset)", config, wrote, slept, random);
  plugin_string_dup(ret, line);
}
