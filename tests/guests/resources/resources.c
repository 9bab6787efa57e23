/*
 * The `resources` guest: exports the resource `counter` (constructor,
 * methods, destructor) and uses the host's resource `logger`.
 *
 * wit-bindgen-c represents an exported resource by a struct the guest
 * defines (its "rep"); `exports_..._counter_new` turns a rep into an owned
 * handle, and the runtime calls `..._counter_destructor` when the last
 * handle is dropped. Imported resources are handles: owned ones are
 * dropped with `..._drop_own`, borrowed ones received by an export with
 * `..._drop_borrow` (bindings generated without autodrop).
 */

#include <stdlib.h>
#include <string.h>

#include "resources.h"

/* The rep of a `counter`. */
struct exports_test_resources_counters_counter_t {
  int64_t value;
};

/* How many counters have been destroyed: `destroyed()` reports it so a
 * test can see the destructor run. */
static uint32_t destroyed_count;

exports_test_resources_counters_own_counter_t exports_test_resources_counters_constructor_counter(
    int64_t start) {
  exports_test_resources_counters_counter_t *rep = malloc(sizeof *rep);
  if (!rep) abort();
  rep->value = start;
  return exports_test_resources_counters_counter_new(rep);
}

void exports_test_resources_counters_counter_destructor(
    exports_test_resources_counters_counter_t *rep) {
  destroyed_count++;
  free(rep);
}

void exports_test_resources_counters_method_counter_increment(
    exports_test_resources_counters_borrow_counter_t self, int64_t by) {
  self->value += by;
}

int64_t exports_test_resources_counters_method_counter_value(
    exports_test_resources_counters_borrow_counter_t self) {
  return self->value;
}

/* Formats `value` in decimal into `buf` (at least 21 bytes); returns the
 * length. (No snprintf: wasi-libc's stdio would import WASI.) */
static size_t format_i64(int64_t value, char *buf) {
  char digits[20];
  size_t n = 0, len = 0;
  uint64_t magnitude = value < 0 ? 0u - (uint64_t)value : (uint64_t)value;
  do {
    digits[n++] = (char)('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude > 0);
  if (value < 0) buf[len++] = '-';
  while (n > 0) buf[len++] = digits[--n];
  return len;
}

/* Logs "value=<value>" through the borrowed host logger. */
uint32_t exports_test_resources_counters_method_counter_report(
    exports_test_resources_counters_borrow_counter_t self,
    exports_test_resources_counters_borrow_logger_t to) {
  char buf[32] = "value=";
  size_t len = 6 + format_i64(self->value, buf + 6);
  resources_string_t msg = {(uint8_t *)buf, len};
  uint32_t logged = test_resources_host_log_method_logger_log(to, &msg);
  test_resources_host_log_logger_drop_borrow(to);
  return logged;
}

uint32_t exports_test_resources_counters_log_once(resources_string_t *prefix,
                                                  resources_string_t *msg) {
  test_resources_host_log_own_logger_t logger = test_resources_host_log_constructor_logger(prefix);
  uint32_t logged = test_resources_host_log_method_logger_log(
      test_resources_host_log_borrow_logger(logger), msg);
  test_resources_host_log_logger_drop_own(logger);
  resources_string_free(prefix);
  resources_string_free(msg);
  return logged;
}

int64_t exports_test_resources_counters_total(exports_test_resources_counters_borrow_counter_t a,
                                              exports_test_resources_counters_borrow_counter_t b) {
  return a->value + b->value;
}

/* Takes ownership of `c`: reads its value, then drops the handle, which
 * runs the destructor. */
int64_t exports_test_resources_counters_finish(exports_test_resources_counters_own_counter_t c) {
  int64_t value = exports_test_resources_counters_counter_rep(c)->value;
  exports_test_resources_counters_counter_drop_own(c);
  return value;
}

uint32_t exports_test_resources_counters_destroyed(void) { return destroyed_count; }
