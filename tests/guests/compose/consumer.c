/*
 * The `consumer` guest of the composition: implements `test:compose/app`
 * (UTF-8 strings) on top of the imported `test:compose/text`, which the
 * composed component takes from the `provider` guest (UTF-16), and reports
 * to the host's `test:compose/log`.
 *
 * An import borrows its arguments and hands over its results; an export
 * owns its arguments.
 */

#include <stdlib.h>

#include "consumer.h"

/* join(words(upper(s)), " · "), logged to the host. */
void exports_test_compose_app_shout(consumer_string_t *s, consumer_string_t *ret) {
  consumer_string_t upper;
  test_compose_text_upper(s, &upper);
  consumer_string_free(s);

  consumer_list_string_t words;
  test_compose_text_words(&upper, &words);
  consumer_string_free(&upper);

  consumer_string_t sep;
  consumer_string_set(&sep, " \xc2\xb7 "); /* " · " in UTF-8; borrowed, not freed */
  test_compose_text_join(&words, &sep, ret);
  consumer_list_string_free(&words);

  test_compose_log_log(ret);
}

void exports_test_compose_app_measure(consumer_string_t *s, exports_test_compose_app_stats_t *ret) {
  test_compose_text_count(s, ret);
  consumer_string_free(s);
}

uint32_t exports_test_compose_app_byte_length(consumer_string_t *s) {
  uint32_t len = (uint32_t)s->len;
  consumer_string_free(s);
  return len;
}
