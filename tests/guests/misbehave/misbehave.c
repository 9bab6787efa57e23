/*
 * The `misbehave` guest: every `bad` export breaks a canonical-ABI rule on
 * purpose (world.wit says which), by handing the generated bindings values
 * a correct guest never would. The host must trap when it lifts them.
 *
 * Built with UTF-8 and with UTF-16 strings; string code uses the code-unit
 * type of `misbehave_string_t` (`uint8_t` or `uint16_t`) to serve both.
 */

#include <stdlib.h>
#include <string.h>

#include "misbehave.h"

/* One code unit of a string: uint8_t for UTF-8, uint16_t for UTF-16. */
typedef __typeof__(*((misbehave_string_t *)0)->ptr) unit_t;

/* An address near the top of the 32-bit address space: far past the end
 * of the guest's memory, and aligned for any element type. */
#define FAR_AWAY ((uintptr_t)0xFFFFFF00u)

/* Storage for `misaligned-list`: aligned, so `+ 1` byte is not. */
static _Alignas(4) uint8_t misaligned_storage[8];

void exports_test_misbehave_bad_out_of_bounds_string(misbehave_string_t *ret) {
  ret->ptr = (unit_t *)FAR_AWAY;
  ret->len = 16;
}

/* 2^24 elements of 4 bytes: 64 MiB from a valid address, more than the
 * guest's memory holds. */
void exports_test_misbehave_bad_out_of_bounds_list(misbehave_list_u32_t *ret) {
  ret->ptr = (uint32_t *)(uintptr_t)16u;
  ret->len = (size_t)1 << 24;
}

void exports_test_misbehave_bad_misaligned_list(misbehave_list_u32_t *ret) {
  ret->ptr = (uint32_t *)(void *)(misaligned_storage + 1);
  ret->len = 1;
}

/* Two code units that are not a valid string: UTF-8 0xC3 0x28 (a lead byte
 * followed by a non-continuation byte), or UTF-16 0xD800 'x' (a high
 * surrogate with no low surrogate after it). */
static void make_invalid(misbehave_string_t *s) {
  unit_t *units = malloc(2 * sizeof(unit_t));
  if (!units) abort();
  units[0] = (unit_t)(sizeof(unit_t) == 1 ? 0xC3u : 0xD800u);
  units[1] = (unit_t)(sizeof(unit_t) == 1 ? 0x28u : 'x');
  s->ptr = units;
  s->len = 2;
}

void exports_test_misbehave_bad_invalid_string(misbehave_string_t *ret) { make_invalid(ret); }

exports_test_misbehave_bad_color_t exports_test_misbehave_bad_bad_enum(void) { return 7; }

/* wit-bindgen-c's list element structs have the canonical ABI's memory
 * layout, so a list hands the host the element bytes exactly as set here. */
void exports_test_misbehave_bad_bad_variant(exports_test_misbehave_bad_list_shape_t *ret) {
  exports_test_misbehave_bad_shape_t *shape = malloc(sizeof *shape);
  if (!shape) abort();
  shape->tag = 9;
  shape->val.circle = 1.0f;
  ret->ptr = shape;
  ret->len = 1;
}

void exports_test_misbehave_bad_bad_option(misbehave_list_option_u32_t *ret) {
  misbehave_option_u32_t *option = malloc(sizeof *option);
  if (!option) abort();
  /* `bool` holds only 0 and 1 in C: write the byte itself. */
  memset(&option->is_some, 2, 1);
  option->val = 5;
  ret->ptr = option;
  ret->len = 1;
}

uint32_t exports_test_misbehave_bad_surrogate_char(void) { return 0xD800u; }

uint32_t exports_test_misbehave_bad_out_of_range_char(void) { return 0x110000u; }

void exports_test_misbehave_bad_send_out_of_bounds_string(void) {
  misbehave_string_t s = {(unit_t *)FAR_AWAY, 16};
  test_misbehave_host_take_string(&s);
}

void exports_test_misbehave_bad_send_invalid_string(void) {
  misbehave_string_t s;
  make_invalid(&s);
  test_misbehave_host_take_string(&s);
  misbehave_string_free(&s);
}

uint32_t exports_test_misbehave_bad_call_failing_host(void) { return test_misbehave_host_fail(); }

void exports_test_misbehave_bad_abort(void) { abort(); }

uint32_t exports_test_misbehave_bad_ok(void) { return 42; }
