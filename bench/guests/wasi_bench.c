// The guest of the WASI benchmarks (bench/benches/wasi.rs): a command
// built with wasi-libc and the preview1 command adapter, run by wit-host +
// wit-host-wasi and by wasmtime + wasmtime-wasi alike. argv[1] selects
// the case:
//   hello           puts("Hello, world!")
//   write-mib       1 MiB to stdout in 64 KiB fwrite calls
//   read-file PATH  reads PATH to its end in 64 KiB reads; exit 0 if it
//                   held 1 MiB
//   poll-ready N    N polls of stdout, which is always ready to write
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char buf[64 * 1024];

static int write_mib(void) {
  memset(buf, 'x', sizeof buf);
  for (int i = 0; i < 16; i++) {
    if (fwrite(buf, 1, sizeof buf, stdout) != sizeof buf) return 2;
  }
  return fflush(stdout) == 0 ? 0 : 3;
}

static int read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return 2;
  size_t total = 0, n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) total += n;
  fclose(f);
  return total == 1024 * 1024 ? 0 : 3;
}

static int poll_ready(int n) {
  struct pollfd fd = {.fd = 1, .events = POLLOUT};
  for (int i = 0; i < n; i++) {
    if (poll(&fd, 1, -1) != 1 || !(fd.revents & POLLOUT)) return 2;
  }
  return 0;
}

int main(int argc, char **argv) {
  const char *c = argc > 1 ? argv[1] : "";
  if (!strcmp(c, "hello")) return puts("Hello, world!") < 0;
  if (!strcmp(c, "write-mib")) return write_mib();
  if (!strcmp(c, "read-file") && argc > 2) return read_file(argv[2]);
  if (!strcmp(c, "poll-ready") && argc > 2) return poll_ready(atoi(argv[2]));
  fprintf(stderr, "unknown case `%s`\n", c);
  return 64;
}
