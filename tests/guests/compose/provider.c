/*
 * The `provider` guest of the composition: implements `test:compose/text`
 * with UTF-16 strings (`provider_string_t` holds `uint16_t` code units).
 * An export owns its arguments: each function either hands an argument's
 * memory on as its result or frees it.
 */

#include <stdlib.h>
#include <string.h>

#include "provider.h"

/* Allocates `n` code units; traps (abort) when memory runs out. */
static uint16_t *alloc_units(size_t n) {
  if (n == 0) return NULL;
  uint16_t *p = malloc(n * sizeof(uint16_t));
  if (!p) abort();
  return p;
}

/* Calls `each(start, len, ctx)` for every space-separated, non-empty word
 * of `s`; returns the number of words. `each` may be NULL. */
static size_t for_each_word(const provider_string_t *s,
                            void (*each)(const uint16_t *start, size_t len, void *ctx),
                            void *ctx) {
  size_t count = 0, i = 0;
  while (i < s->len) {
    while (i < s->len && s->ptr[i] == ' ') i++;
    size_t start = i;
    while (i < s->len && s->ptr[i] != ' ') i++;
    if (i > start) {
      if (each) each(s->ptr + start, i - start, ctx);
      count++;
    }
  }
  return count;
}

/* Upper-cases ASCII letters in place and hands the argument's memory on. */
void exports_test_compose_text_upper(provider_string_t *s, provider_string_t *ret) {
  for (size_t i = 0; i < s->len; i++)
    if (s->ptr[i] >= 'a' && s->ptr[i] <= 'z') s->ptr[i] -= 'a' - 'A';
  *ret = *s;
}

/* `for_each_word` callback: appends a copy of the word to a list whose
 * storage is already large enough. */
static void push_word(const uint16_t *start, size_t len, void *ctx) {
  provider_list_string_t *list = ctx;
  provider_string_t *word = &list->ptr[list->len++];
  word->ptr = alloc_units(len);
  memcpy(word->ptr, start, len * sizeof(uint16_t));
  word->len = len;
}

void exports_test_compose_text_words(provider_string_t *s, provider_list_string_t *ret) {
  size_t count = for_each_word(s, NULL, NULL);
  ret->ptr = count ? malloc(count * sizeof(provider_string_t)) : NULL;
  if (count && !ret->ptr) abort();
  ret->len = 0;
  for_each_word(s, push_word, ret);
  provider_string_free(s);
}

void exports_test_compose_text_join(provider_list_string_t *parts, provider_string_t *sep,
                                    provider_string_t *ret) {
  size_t total = 0;
  for (size_t i = 0; i < parts->len; i++) total += parts->ptr[i].len + (i > 0 ? sep->len : 0);
  uint16_t *out = alloc_units(total);
  size_t at = 0;
  for (size_t i = 0; i < parts->len; i++) {
    if (i > 0) {
      memcpy(out + at, sep->ptr, sep->len * sizeof(uint16_t));
      at += sep->len;
    }
    memcpy(out + at, parts->ptr[i].ptr, parts->ptr[i].len * sizeof(uint16_t));
    at += parts->ptr[i].len;
  }
  ret->ptr = out;
  ret->len = total;
  provider_list_string_free(parts);
  provider_string_free(sep);
}

void exports_test_compose_text_count(provider_string_t *s, exports_test_compose_text_stats_t *ret) {
  ret->code_units = (uint32_t)s->len;
  ret->words = (uint32_t)for_each_word(s, NULL, NULL);
  provider_string_free(s);
}
