// wasi-probe: one C command, compiled with wasi-libc and adapted to WASI 0.2
// by the preview1 command adapter, that exercises one part of WASI per
// case. `argv[1]` names the case; each prints a transcript on stdout (and
// sometimes stderr) that the tests in `tests/tests/all/wasi/` compare with
// their table, and exits with a code the table names.
//
// Cases that touch files take the guest path of a preopened directory as
// `argv[2]` (for example `/sandbox`). Failures are printed as the errno's
// name (`EPERM`, `ENOENT`, ...), so the transcripts say which error a host
// gave, not just that one failed.

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

extern char **environ;

// --- helpers ----------------------------------------------------------

static const char *errname(int e) {
  switch (e) {
  case 0: return "ok";
  case EACCES: return "EACCES";
  case EBADF: return "EBADF";
  case EEXIST: return "EEXIST";
  case EINVAL: return "EINVAL";
  case EIO: return "EIO";
  case EISDIR: return "EISDIR";
  case ELOOP: return "ELOOP";
  case ENOENT: return "ENOENT";
  case ENOTDIR: return "ENOTDIR";
  case ENOTEMPTY: return "ENOTEMPTY";
  case ENOTCAPABLE: return "ENOTCAPABLE";
  case ENOTSUP: return "ENOTSUP";
  case ENOSYS: return "ENOSYS";
  case EPERM: return "EPERM";
  case EROFS: return "EROFS";
  case EXDEV: return "EXDEV";
  case ESPIPE: return "ESPIPE";
  default: {
    static char other[32];
    snprintf(other, sizeof other, "errno %d", e);
    return other;
  }
  }
}

// The path `name` beneath the directory `dir` (static storage: copy it
// before the next call if it must live on).
static const char *at(const char *dir, const char *name) {
  static char bufs[2][512];
  static int which;
  which ^= 1;
  snprintf(bufs[which], sizeof bufs[which], "%s/%s", dir, name);
  return bufs[which];
}

// Prints `what: ok` when `r` is not negative, else `what: ERRNO`.
static void report(const char *what, long r) {
  printf("%s: %s\n", what, r < 0 ? errname(errno) : "ok");
}

// Reads the whole file at `path` (at most 4095 bytes) into a static
// NUL-terminated buffer; NULL (errno set) when it cannot be opened or read.
//
// The probe allocates little and never grows the heap much: with the
// wasi-libc of Debian 12 (2022), a heap that grows past ~100 KiB after the
// preview1 adapter has taken its page of memory overwrites the adapter's
// state ("assertion failed at adapter line 2857", on wasmtime too).
static char *slurp(const char *path, size_t *len) {
  static char buf[4096];
  int fd = open(path, O_RDONLY);
  if (fd < 0) return NULL;
  size_t n = 0;
  for (;;) {
    ssize_t got = read(fd, buf + n, sizeof buf - 1 - n);
    if (got < 0) {
      int e = errno;
      close(fd);
      errno = e;
      return NULL;
    }
    if (got == 0 || n + (size_t)got == sizeof buf - 1) {
      n += (size_t)got;
      break;
    }
    n += (size_t)got;
  }
  close(fd);
  buf[n] = 0;
  if (len) *len = n;
  return buf;
}

// Prints `label: <contents>` (the contents as they are) or the errno.
static void show_file(const char *label, const char *path) {
  char *text = slurp(path, NULL);
  if (!text) {
    printf("%s: %s\n", label, errname(errno));
    return;
  }
  printf("%s: %s", label, text);
}

// Writes `text` to a new file at `path` (truncating one that exists).
static int put_file(const char *path, const char *text) {
  int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
  if (fd < 0) return -1;
  ssize_t n = write(fd, text, strlen(text));
  close(fd);
  return n < 0 ? -1 : 0;
}

static const char *kind(mode_t mode) {
  if (S_ISREG(mode)) return "file";
  if (S_ISDIR(mode)) return "directory";
  if (S_ISLNK(mode)) return "symlink";
  return "other";
}

static uint64_t monotonic_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

// --- cli ----------------------------------------------------------------

static int hello(void) {
  printf("hello from wasi-probe on stdout\n");
  fprintf(stderr, "hello from wasi-probe on stderr\n");
  return 0;
}

static int args(int argc, char **argv) {
  printf("argc=%d\n", argc);
  for (int i = 0; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
  return 0;
}

// The environment in the order the host gave it, then one lookup.
static int env(int argc, char **argv) {
  for (char **e = environ; *e; e++) printf("%s\n", *e);
  if (argc > 2) {
    const char *v = getenv(argv[2]);
    printf("getenv(%s)=%s\n", argv[2], v ? v : "(unset)");
  }
  return 0;
}

// Copies stdin to stdout; the byte count goes to stderr.
static int cat(void) {
  char buf[1000];
  size_t total = 0, n;
  while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
    fwrite(buf, 1, n, stdout);
    total += n;
  }
  fprintf(stderr, "read %zu bytes from stdin\n", total);
  return 0;
}

// --- files --------------------------------------------------------------

static int fs_write(const char *d) {
  int fd = open(at(d, "notes.txt"), O_CREAT | O_WRONLY | O_EXCL, 0644);
  report("create notes.txt", fd);
  printf("write: %zd\n", write(fd, "first line\n", 11));
  printf("write: %zd\n", write(fd, "second line\n", 12));
  close(fd);
  report("create notes.txt again", open(at(d, "notes.txt"), O_CREAT | O_WRONLY | O_EXCL, 0644));
  fd = open(at(d, "notes.txt"), O_WRONLY | O_APPEND);
  report("open for appending", fd);
  printf("append: %zd\n", write(fd, "third line\n", 11));
  close(fd);
  show_file("notes.txt", at(d, "notes.txt"));

  // 100000 bytes (byte i is i % 251), in writes of 7000 bytes.
  static char big[100000];
  for (size_t i = 0; i < sizeof big; i++) big[i] = (char)(i % 251);
  fd = open(at(d, "big.bin"), O_CREAT | O_WRONLY | O_TRUNC, 0644);
  size_t written = 0;
  while (written < sizeof big) {
    size_t chunk = sizeof big - written < 7000 ? sizeof big - written : 7000;
    ssize_t n = write(fd, big + written, chunk);
    if (n <= 0) break;
    written += (size_t)n;
  }
  close(fd);
  printf("big.bin: wrote %zu bytes\n", written);
  return 0;
}

static int fs_read(const char *d) {
  show_file("input.txt", at(d, "input.txt"));
  // big.bin, checked against its pattern (byte i is i % 251) in reads of
  // 4096 bytes into a static buffer (see slurp).
  static unsigned char chunk[4096];
  int fd = open(at(d, "big.bin"), O_RDONLY);
  if (fd < 0) {
    printf("big.bin: %s\n", errname(errno));
    return 1;
  }
  size_t len = 0, wrong = 0;
  ssize_t n;
  while ((n = read(fd, chunk, sizeof chunk)) > 0) {
    for (ssize_t i = 0; i < n; i++) wrong += chunk[i] != (len + (size_t)i) % 251;
    len += (size_t)n;
  }
  close(fd);
  printf("big.bin: %zu bytes, %zu wrong\n", len, wrong);
  show_file("missing.txt", at(d, "missing.txt"));
  report("open a directory for writing", open(d, O_WRONLY));
  return 0;
}

// Reads the file `name` beneath `d` with reads of `size` bytes (at most
// 128 KiB); prints each read's result.
static int read_sizes(const char *d, const char *name, size_t size) {
  int fd = open(at(d, name), O_RDONLY);
  report("open", fd);
  static char buf[128 * 1024];
  if (size > sizeof buf) size = sizeof buf;
  ssize_t n;
  size_t total = 0;
  while ((n = read(fd, buf, size)) > 0) {
    printf("read %zd\n", n);
    total += (size_t)n;
  }
  printf("last read %zd (%s), total %zu\n", n, n < 0 ? errname(errno) : "ok", total);
  close(fd);
  return 0;
}

static int fs_seek(const char *d) {
  char buf[16] = {0};
  int fd = open(at(d, "data.txt"), O_RDWR);
  report("open data.txt", fd);
  printf("seek 4: %lld\n", (long long)lseek(fd, 4, SEEK_SET));
  ssize_t n = read(fd, buf, 3);
  printf("read: %.*s\n", (int)n, buf);
  printf("position: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
  printf("seek end-2: %lld\n", (long long)lseek(fd, -2, SEEK_END));
  n = read(fd, buf, sizeof buf);
  printf("read: %.*s\n", (int)n, buf);
  printf("read at the end: %zd\n", read(fd, buf, sizeof buf));
  lseek(fd, 2, SEEK_SET);
  printf("write at 2: %zd\n", write(fd, "XY", 2));
  report("truncate to 6", ftruncate(fd, 6));
  struct stat st;
  fstat(fd, &st);
  printf("size: %lld\n", (long long)st.st_size);
  n = pread(fd, buf, 4, 1);
  printf("pread 4 at 1: %.*s\n", (int)n, buf);
  printf("pwrite at 0: %zd\n", pwrite(fd, "Z", 1, 0));
  printf("position: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
  report("seek before the start", lseek(fd, -1, SEEK_SET));
  close(fd);
  show_file("data.txt", at(d, "data.txt"));
  return 0;
}

static int compare_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

// Lists `path` sorted by name, each entry with its type.
static void list(const char *path) {
  DIR *dir = opendir(path);
  if (!dir) {
    printf("list: %s\n", errname(errno));
    return;
  }
  char *names[64];
  int count = 0;
  struct dirent *entry;
  while ((entry = readdir(dir)) && count < 64) {
    const char *type = entry->d_type == DT_DIR   ? "directory"
                       : entry->d_type == DT_REG ? "file"
                       : entry->d_type == DT_LNK ? "symlink"
                                                 : "other";
    char line[300];
    snprintf(line, sizeof line, "%s (%s)", entry->d_name, type);
    names[count++] = strdup(line);
  }
  closedir(dir);
  qsort(names, (size_t)count, sizeof names[0], compare_names);
  for (int i = 0; i < count; i++) {
    printf("  %s\n", names[i]);
    free(names[i]);
  }
}

static int fs_dirs(const char *d) {
  report("mkdir sub", mkdir(at(d, "sub"), 0755));
  report("mkdir sub again", mkdir(at(d, "sub"), 0755));
  report("create sub/b.txt", put_file(at(d, "sub/b.txt"), "b"));
  report("create sub/a.txt", put_file(at(d, "sub/a.txt"), "a"));
  report("mkdir sub/inner", mkdir(at(d, "sub/inner"), 0755));
  printf("list sub:\n");
  list(at(d, "sub"));
  report("rmdir sub (not empty)", rmdir(at(d, "sub")));
  report("unlink sub (a directory)", unlink(at(d, "sub")));
  report("rmdir sub/a.txt (a file)", rmdir(at(d, "sub/a.txt")));
  report("unlink sub/a.txt", unlink(at(d, "sub/a.txt")));
  report("unlink sub/b.txt", unlink(at(d, "sub/b.txt")));
  report("rmdir sub/inner", rmdir(at(d, "sub/inner")));
  report("rmdir sub", rmdir(at(d, "sub")));
  struct stat st;
  report("stat sub", stat(at(d, "sub"), &st));
  report("mkdir made", mkdir(at(d, "made"), 0755));
  report("create made/file.txt", put_file(at(d, "made/file.txt"), "made here\n"));
  report("create in a missing directory", put_file(at(d, "nowhere/file.txt"), "x"));
  printf("list %s:\n", d);
  list(d);
  return 0;
}

static int fs_stat(const char *d) {
  struct stat st, fst;
  report("stat data.txt", stat(at(d, "data.txt"), &st));
  printf("  %s, %lld bytes\n", kind(st.st_mode), (long long)st.st_size);
  report("stat folder", stat(at(d, "folder"), &st));
  printf("  %s\n", kind(st.st_mode));
  report("lstat link", lstat(at(d, "link"), &st));
  printf("  %s\n", kind(st.st_mode));
  report("stat link", stat(at(d, "link"), &st));
  printf("  %s, %lld bytes\n", kind(st.st_mode), (long long)st.st_size);
  report("stat missing.txt", stat(at(d, "missing.txt"), &st));

  struct timespec times[2] = {{1000000000, 0}, {1234567890, 500000000}};
  report("set times of data.txt", utimensat(AT_FDCWD, at(d, "data.txt"), times, 0));
  stat(at(d, "data.txt"), &st);
  printf("  mtime %lld.%09ld\n", (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);

  int fd = open(at(d, "data.txt"), O_RDONLY);
  fstat(fd, &fst);
  printf("fstat and stat name the same file: %s\n",
         fst.st_dev == st.st_dev && fst.st_ino == st.st_ino ? "yes" : "no");
  stat(at(d, "folder"), &st);
  printf("data.txt and folder are different files: %s\n",
         fst.st_ino != st.st_ino ? "yes" : "no");
  close(fd);
  return 0;
}

static int fs_rename(const char *d) {
  report("rename old.txt new.txt", rename(at(d, "old.txt"), at(d, "new.txt")));
  show_file("old.txt", at(d, "old.txt"));
  show_file("new.txt", at(d, "new.txt"));
  report("rename new.txt over victim.txt", rename(at(d, "new.txt"), at(d, "victim.txt")));
  show_file("victim.txt", at(d, "victim.txt"));
  report("unlink victim.txt", unlink(at(d, "victim.txt")));
  report("unlink victim.txt again", unlink(at(d, "victim.txt")));
  report("mkdir d", mkdir(at(d, "d"), 0755));
  report("rename d e", rename(at(d, "d"), at(d, "e")));
  report("rename missing.txt", rename(at(d, "missing.txt"), at(d, "other.txt")));
  return 0;
}

static int fs_symlink(const char *d) {
  report("symlink link -> target.txt", symlink("target.txt", at(d, "link")));
  char buf[256];
  ssize_t n = readlink(at(d, "link"), buf, sizeof buf);
  printf("readlink link: %.*s\n", n < 0 ? 0 : (int)n, buf);
  show_file("read through link", at(d, "link"));
  struct stat st;
  lstat(at(d, "link"), &st);
  printf("lstat link: %s\n", kind(st.st_mode));
  report("symlink dangling -> nowhere.txt", symlink("nowhere.txt", at(d, "dangling")));
  show_file("read through dangling", at(d, "dangling"));
  report("symlink link again", symlink("other.txt", at(d, "link")));
  report("readlink target.txt (not a link)", readlink(at(d, "target.txt"), buf, sizeof buf));
  report("unlink link", unlink(at(d, "link")));
  show_file("target.txt", at(d, "target.txt"));
  return 0;
}

// Every way out of the preopen `d` (whose parent holds `outside/`), and
// the host's symlinks `up` -> `..`, `abs` -> (the absolute host path of
// outside/) and `esc.txt` -> `../outside/secret.txt`.
static int escape(const char *d) {
  char path[512];
  snprintf(path, sizeof path, "%s/../outside/secret.txt", d);
  show_file("read ../outside/secret.txt", path);
  snprintf(path, sizeof path, "%s/../outside/new.txt", d);
  report("create ../outside/new.txt", put_file(path, "escaped"));
  snprintf(path, sizeof path, "%s/../outside/newdir", d);
  report("mkdir ../outside/newdir", mkdir(path, 0755));
  snprintf(path, sizeof path, "%s/..", d);
  report("open ..", open(path, O_RDONLY | O_DIRECTORY));
  show_file("read up/outside/secret.txt", at(d, "up/outside/secret.txt"));
  show_file("read abs/secret.txt", at(d, "abs/secret.txt"));
  show_file("read esc.txt", at(d, "esc.txt"));
  report("create up/outside/new.txt", put_file(at(d, "up/outside/new.txt"), "escaped"));
  report("symlink mine.txt -> ../outside/secret.txt",
         symlink("../outside/secret.txt", at(d, "mine.txt")));
  show_file("read mine.txt", at(d, "mine.txt"));
  show_file("read /outside/secret.txt (no such preopen)", "/outside/secret.txt");
  show_file("read inside.txt", at(d, "inside.txt"));
  return 0;
}

// Everything that writes, refused by a read-only preopen `d`.
static int readonly(const char *d) {
  show_file("read input.txt", at(d, "input.txt"));
  report("open input.txt for writing", open(at(d, "input.txt"), O_WRONLY));
  report("open input.txt for appending", open(at(d, "input.txt"), O_WRONLY | O_APPEND));
  report("truncate input.txt on open", open(at(d, "input.txt"), O_RDONLY | O_TRUNC));
  report("create new.txt", open(at(d, "new.txt"), O_CREAT | O_WRONLY, 0644));
  report("mkdir newdir", mkdir(at(d, "newdir"), 0755));
  report("unlink input.txt", unlink(at(d, "input.txt")));
  report("rename input.txt moved.txt", rename(at(d, "input.txt"), at(d, "moved.txt")));
  report("symlink link -> input.txt", symlink("input.txt", at(d, "link")));
  int fd = open(at(d, "input.txt"), O_RDONLY);
  report("write to a file opened for reading", write(fd, "x", 1));
  close(fd);
  show_file("input.txt afterwards", at(d, "input.txt"));
  return 0;
}

// --- clocks, random, poll -----------------------------------------------

static int clocks(void) {
  struct timespec res;
  clock_getres(CLOCK_MONOTONIC, &res);
  printf("monotonic resolution positive: %s\n",
         res.tv_sec > 0 || res.tv_nsec > 0 ? "yes" : "no");
  uint64_t t0 = monotonic_ns();
  uint64_t t1 = monotonic_ns();
  printf("monotonic never goes back: %s\n", t1 >= t0 ? "yes" : "no");
  struct timespec nap = {0, 20000000};
  report("nanosleep 20ms", nanosleep(&nap, NULL));
  uint64_t t2 = monotonic_ns();
  printf("slept at least 20ms: %s\n", t2 - t1 >= 20000000u ? "yes" : "no");
  printf("slept less than 10s: %s\n", t2 - t1 < 10000000000u ? "yes" : "no");
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  printf("realtime after 2020: %s\n", now.tv_sec > 1577836800 ? "yes" : "no");
  return 0;
}

// The clocks' readings, exactly (for a host with fixed clocks).
static int clock_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  printf("realtime: %lld.%09ld\n", (long long)ts.tv_sec, ts.tv_nsec);
  clock_getres(CLOCK_REALTIME, &ts);
  printf("realtime resolution: %lld.%09ld\n", (long long)ts.tv_sec, ts.tv_nsec);
  printf("time(): %lld\n", (long long)time(NULL));
  printf("monotonic: %llu\n", (unsigned long long)monotonic_ns());
  clock_getres(CLOCK_MONOTONIC, &ts);
  printf("monotonic resolution: %lld.%09ld\n", (long long)ts.tv_sec, ts.tv_nsec);
  return 0;
}

static void hex(const char *label, const unsigned char *b, size_t n) {
  printf("%s: ", label);
  for (size_t i = 0; i < n; i++) printf("%02x", b[i]);
  printf("\n");
}

// `random` prints whether two draws differ; `random hex` prints them.
static int random_bytes(int argc, char **argv) {
  unsigned char a[16], b[16];
  report("getentropy 16", getentropy(a, sizeof a));
  report("getentropy 16", getentropy(b, sizeof b));
  if (argc > 2 && strcmp(argv[2], "hex") == 0) {
    hex("first", a, sizeof a);
    hex("second", b, sizeof b);
  } else {
    printf("the draws differ: %s\n", memcmp(a, b, sizeof a) ? "yes" : "no");
  }
  report("getentropy 257 (more than it allows)", getentropy(a, 257));
  return 0;
}

static __wasi_subscription_t clock_sub(uint64_t userdata, uint64_t timeout, int absolute) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = userdata;
  s.u.tag = __WASI_EVENTTYPE_CLOCK;
  s.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  s.u.u.clock.timeout = timeout;
  s.u.u.clock.flags = absolute ? __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME : 0;
  return s;
}

static __wasi_subscription_t fd_sub(uint64_t userdata, uint8_t tag, int fd) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = userdata;
  s.u.tag = tag;
  if (tag == __WASI_EVENTTYPE_FD_READ)
    s.u.u.fd_read.file_descriptor = (__wasi_fd_t)fd;
  else
    s.u.u.fd_write.file_descriptor = (__wasi_fd_t)fd;
  return s;
}

// Polls `n` subscriptions and prints the events, in the order given.
static void poll_and_show(const char *label, __wasi_subscription_t *subs, size_t n) {
  __wasi_event_t events[4];
  size_t count = 0;
  __wasi_errno_t e = __wasi_poll_oneoff(subs, events, n, &count);
  printf("%s: %s, %zu event%s", label, errname(e), count, count == 1 ? "" : "s");
  for (size_t i = 0; i < count; i++) {
    const char *type = events[i].type == __WASI_EVENTTYPE_CLOCK      ? "clock"
                     : events[i].type == __WASI_EVENTTYPE_FD_READ  ? "fd_read"
                     : events[i].type == __WASI_EVENTTYPE_FD_WRITE ? "fd_write"
                                                                   : "?";
    printf(", #%llu %s %s", (unsigned long long)events[i].userdata, type,
           errname(events[i].error));
  }
  printf("\n");
}

// Timers race (the short one wins), an absolute deadline, and stdin and
// stdout readiness against a long timer. Stdin should hold data.
static int poll_cases(void) {
  const uint64_t ms = 1000000, long_wait = 10000 * ms;
  __wasi_subscription_t subs[2];

  subs[0] = clock_sub(1, long_wait, 0);
  subs[1] = clock_sub(2, 10 * ms, 0);
  uint64_t start = monotonic_ns();
  poll_and_show("two timers", subs, 2);
  printf("  waited at least 10ms: %s\n", monotonic_ns() - start >= 10 * ms ? "yes" : "no");

  // CLOCK_MONOTONIC is WASI's monotonic clock, in nanoseconds.
  uint64_t deadline = monotonic_ns() + 10 * ms;
  subs[0] = clock_sub(3, deadline, 1);
  subs[1] = clock_sub(4, long_wait, 0);
  poll_and_show("absolute deadline", subs, 2);
  printf("  reached the deadline: %s\n", monotonic_ns() >= deadline ? "yes" : "no");

  subs[0] = clock_sub(5, 0, 0);
  poll_and_show("zero timeout", subs, 1);

  subs[0] = fd_sub(6, __WASI_EVENTTYPE_FD_READ, 0);
  subs[1] = clock_sub(7, long_wait, 0);
  poll_and_show("stdin readable", subs, 2);
  char buf[64];
  ssize_t n = read(0, buf, sizeof buf);
  printf("  stdin: %.*s\n", n < 0 ? 0 : (int)n, buf);

  subs[0] = fd_sub(8, __WASI_EVENTTYPE_FD_WRITE, 1);
  subs[1] = clock_sub(9, long_wait, 0);
  poll_and_show("stdout writable", subs, 2);
  return 0;
}

// --- main -------------------------------------------------------------

int main(int argc, char **argv) {
  // Unbuffered stdout keeps the transcript whole when a case exits.
  setvbuf(stdout, NULL, _IONBF, 0);
  const char *c = argc > 1 ? argv[1] : "";
  const char *dir = argc > 2 ? argv[2] : "/sandbox";
  if (!strcmp(c, "hello")) return hello();
  if (!strcmp(c, "args")) return args(argc, argv);
  if (!strcmp(c, "env")) return env(argc, argv);
  if (!strcmp(c, "return")) return atoi(argc > 2 ? argv[2] : "0");
  if (!strcmp(c, "exit")) {
    printf("exiting with %s\n", argc > 2 ? argv[2] : "0");
    exit(atoi(argc > 2 ? argv[2] : "0"));
  }
  if (!strcmp(c, "cat")) return cat();
  if (!strcmp(c, "fs-write")) return fs_write(dir);
  if (!strcmp(c, "fs-read")) return fs_read(dir);
  if (!strcmp(c, "fs-read-sizes") && argc > 4)
    return read_sizes(dir, argv[3], (size_t)atol(argv[4]));
  if (!strcmp(c, "fs-seek")) return fs_seek(dir);
  if (!strcmp(c, "fs-dirs")) return fs_dirs(dir);
  if (!strcmp(c, "fs-stat")) return fs_stat(dir);
  if (!strcmp(c, "fs-rename")) return fs_rename(dir);
  if (!strcmp(c, "fs-symlink")) return fs_symlink(dir);
  if (!strcmp(c, "escape")) return escape(dir);
  if (!strcmp(c, "readonly")) return readonly(dir);
  if (!strcmp(c, "clocks")) return clocks();
  if (!strcmp(c, "clock-now")) return clock_now();
  if (!strcmp(c, "random")) return random_bytes(argc, argv);
  if (!strcmp(c, "poll")) return poll_cases();
  fprintf(stderr, "wasi-probe: unknown case `%s`\n", c);
  return 2;
}
