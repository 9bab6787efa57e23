/*
 * The `values` guest: every `api` export passes its argument on to the
 * matching `host` import and returns the host's reply, transformed as
 * world.wit documents. The host therefore sees exactly what the guest
 * received (a test asserts that), and the test sees from the result that the
 * guest read the host's reply correctly.
 *
 * The same source is built twice: with UTF-8 strings (`values.wasm`) and
 * with UTF-16 strings (`values-utf16.wasm`). String code is written against
 * the code-unit type of `values_string_t` (`uint8_t` or `char16_t`), so it
 * serves both.
 *
 * Ownership follows wit-bindgen-c: an export owns its arguments (and frees
 * them), an import borrows its arguments and hands over its results, and
 * what an export returns is freed by the generated post-return function.
 * No libc function here needs WASI: only malloc/realloc/free (memory.grow)
 * and memcpy, so the core module imports nothing but `test:values/host`.
 */

#include <stdlib.h>
#include <string.h>

#include "values.h"

/* One code unit of a string: uint8_t for UTF-8, char16_t for UTF-16. */
typedef __typeof__(*((values_string_t *)0)->ptr) unit_t;

/* Grows an owned string by one code unit and appends `c` (ASCII). */
static void append(values_string_t *s, char c) {
  unit_t *ptr = realloc(s->len > 0 ? s->ptr : NULL, (s->len + 1) * sizeof(unit_t));
  if (!ptr) abort();
  ptr[s->len] = (unit_t)c;
  s->ptr = ptr;
  s->len += 1;
}

/* Sets `s` to a newly allocated copy of the ASCII string `ascii`. */
static void set_ascii(values_string_t *s, const char *ascii) {
  size_t len = strlen(ascii);
  unit_t *ptr = malloc(len * sizeof(unit_t));
  if (!ptr) abort();
  for (size_t i = 0; i < len; i++) ptr[i] = (unit_t)ascii[i];
  s->ptr = ptr;
  s->len = len;
}

/* `roundtrip-point`'s transformation, in place: swaps x and y, appends "!". */
static void transform_point(test_values_types_point_t *p) {
  int32_t x = p->x;
  p->x = p->y;
  p->y = x;
  append(&p->label, '!');
}

bool exports_test_values_api_roundtrip_bool(bool x) {
  return !test_values_host_echo_bool(x);
}

/* Integers: the reply + 1, wrapping (computed unsigned, as signed overflow
 * is undefined in C). */
int8_t exports_test_values_api_roundtrip_s8(int8_t x) {
  return (int8_t)(uint8_t)((uint8_t)test_values_host_echo_s8(x) + 1u);
}

uint8_t exports_test_values_api_roundtrip_u8(uint8_t x) {
  return (uint8_t)(test_values_host_echo_u8(x) + 1u);
}

int16_t exports_test_values_api_roundtrip_s16(int16_t x) {
  return (int16_t)(uint16_t)((uint16_t)test_values_host_echo_s16(x) + 1u);
}

uint16_t exports_test_values_api_roundtrip_u16(uint16_t x) {
  return (uint16_t)(test_values_host_echo_u16(x) + 1u);
}

int32_t exports_test_values_api_roundtrip_s32(int32_t x) {
  return (int32_t)((uint32_t)test_values_host_echo_s32(x) + 1u);
}

uint32_t exports_test_values_api_roundtrip_u32(uint32_t x) {
  return test_values_host_echo_u32(x) + 1u;
}

int64_t exports_test_values_api_roundtrip_s64(int64_t x) {
  return (int64_t)((uint64_t)test_values_host_echo_s64(x) + 1u);
}

uint64_t exports_test_values_api_roundtrip_u64(uint64_t x) {
  return test_values_host_echo_u64(x) + 1u;
}

float exports_test_values_api_roundtrip_f32(float x) {
  return test_values_host_echo_f32(x) * 2.0f;
}

double exports_test_values_api_roundtrip_f64(double x) {
  return test_values_host_echo_f64(x) * 2.0;
}

/* Chars are Unicode scalar values; ASCII lower case becomes upper case. */
uint32_t exports_test_values_api_roundtrip_char(uint32_t x) {
  uint32_t c = test_values_host_echo_char(x);
  if (c >= 'a' && c <= 'z') c -= 'a' - 'A';
  return c;
}

void exports_test_values_api_roundtrip_string(values_string_t *x, values_string_t *ret) {
  test_values_host_echo_string(x, ret);
  values_string_free(x);
  append(ret, '!');
}

void exports_test_values_api_roundtrip_bytes(values_list_u8_t *x, values_list_u8_t *ret) {
  test_values_host_echo_bytes(x, ret);
  values_list_u8_free(x);
  for (size_t i = 0, j = ret->len; i + 1 < j; i++, j--) {
    uint8_t b = ret->ptr[i];
    ret->ptr[i] = ret->ptr[j - 1];
    ret->ptr[j - 1] = b;
  }
}

void exports_test_values_api_roundtrip_strings(values_list_string_t *x, values_list_string_t *ret) {
  test_values_host_echo_strings(x, ret);
  values_list_string_free(x);
  for (size_t i = 0, j = ret->len; i + 1 < j; i++, j--) {
    values_string_t s = ret->ptr[i];
    ret->ptr[i] = ret->ptr[j - 1];
    ret->ptr[j - 1] = s;
  }
}

void exports_test_values_api_roundtrip_point(exports_test_values_api_point_t *x,
                                             exports_test_values_api_point_t *ret) {
  test_values_host_echo_point(x, ret);
  exports_test_values_api_point_free(x);
  transform_point(ret);
}

void exports_test_values_api_roundtrip_points(exports_test_values_api_list_point_t *x,
                                              exports_test_values_api_list_point_t *ret) {
  /* The import's list type is a distinct C type with the same layout. */
  test_values_host_list_point_t arg = {x->ptr, x->len};
  test_values_host_list_point_t reply;
  test_values_host_echo_points(&arg, &reply);
  exports_test_values_api_list_point_free(x);
  for (size_t i = 0, j = reply.len; i + 1 < j; i++, j--) {
    test_values_types_point_t p = reply.ptr[i];
    reply.ptr[i] = reply.ptr[j - 1];
    reply.ptr[j - 1] = p;
  }
  for (size_t i = 0; i < reply.len; i++) transform_point(&reply.ptr[i]);
  ret->ptr = reply.ptr;
  ret->len = reply.len;
}

void exports_test_values_api_roundtrip_tuple(values_tuple3_u8_string_f64_t *x,
                                             values_tuple3_u8_string_f64_t *ret) {
  test_values_host_echo_tuple(x, ret);
  values_tuple3_u8_string_f64_free(x);
  ret->f0 = (uint8_t)(ret->f0 + 1u);
  append(&ret->f1, '!');
  ret->f2 = -ret->f2;
}

void exports_test_values_api_roundtrip_shape(exports_test_values_api_shape_t *x,
                                             exports_test_values_api_shape_t *ret) {
  test_values_host_echo_shape(x, ret);
  exports_test_values_api_shape_free(x);
  switch (ret->tag) {
    case TEST_VALUES_TYPES_SHAPE_CIRCLE:
      ret->val.circle *= 2.0f;
      break;
    case TEST_VALUES_TYPES_SHAPE_RECTANGLE: {
      uint32_t w = ret->val.rectangle.f0;
      ret->val.rectangle.f0 = ret->val.rectangle.f1;
      ret->val.rectangle.f1 = w;
      break;
    }
    case TEST_VALUES_TYPES_SHAPE_NAMED:
      append(&ret->val.named, '!');
      break;
    default: /* empty */
      break;
  }
}

exports_test_values_api_color_t exports_test_values_api_roundtrip_color(
    exports_test_values_api_color_t x) {
  return (exports_test_values_api_color_t)((test_values_host_echo_color(x) + 1) % 3);
}

/* `maybe_x` is NULL for none; the return value says whether `ret` is set
 * (always, here). */
bool exports_test_values_api_roundtrip_option(values_string_t *maybe_x, values_string_t *ret) {
  values_string_t reply;
  bool some = test_values_host_echo_option(maybe_x, &reply);
  if (maybe_x) values_string_free(maybe_x);
  if (some) {
    append(&reply, '!');
    *ret = reply;
  } else {
    set_ascii(ret, "none");
  }
  return true;
}

/* Returns true for ok (in `ret`), false for err (in `err`). */
bool exports_test_values_api_roundtrip_result(exports_test_values_api_result_u32_string_t *x,
                                              uint32_t *ret, values_string_t *err) {
  /* The import's result type is a distinct C type with the same layout. */
  test_values_host_result_u32_string_t arg;
  arg.is_err = x->is_err;
  if (x->is_err)
    arg.val.err = x->val.err;
  else
    arg.val.ok = x->val.ok;
  uint32_t ok;
  values_string_t reply_err;
  bool is_ok = test_values_host_echo_result(&arg, &ok, &reply_err);
  exports_test_values_api_result_u32_string_free(x);
  if (is_ok) {
    *ret = ok + 1u;
    return true;
  }
  append(&reply_err, '!');
  *err = reply_err;
  return false;
}

exports_test_values_api_perms_t exports_test_values_api_roundtrip_perms(
    exports_test_values_api_perms_t x) {
  exports_test_values_api_perms_t all =
      TEST_VALUES_TYPES_PERMS_READ | TEST_VALUES_TYPES_PERMS_WRITE | TEST_VALUES_TYPES_PERMS_EXEC;
  return (exports_test_values_api_perms_t)(~test_values_host_echo_perms(x) & all);
}

exports_test_values_api_many_t exports_test_values_api_roundtrip_many(
    exports_test_values_api_many_t x) {
  return ~test_values_host_echo_many(x);
}

uint64_t exports_test_values_api_sum17(uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4,
                                       uint32_t a5, uint32_t a6, uint32_t a7, uint32_t a8,
                                       uint32_t a9, uint32_t a10, uint32_t a11, uint32_t a12,
                                       uint32_t a13, uint32_t a14, uint32_t a15, uint32_t a16,
                                       uint32_t a17) {
  uint64_t reply = test_values_host_sum17(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13,
                                          a14, a15, a16, a17);
  uint64_t sum = (uint64_t)a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11 + a12 + a13 +
                 a14 + a15 + a16 + a17;
  return reply + 1000u * sum;
}
