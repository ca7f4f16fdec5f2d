/* fuzz_date.c - the date parser, the filter dates and the formatters. */
#include <stdlib.h>

#include "fuzz_common.h"
#include "time/gztime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  uint8_t sel = data[0];
  data++, size--;
  char why[128];
  gz_tz *tz = gz_tz_load(fuzz_zones[sel % 6], NULL, why, sizeof why);
  if (!tz) return 0;
  gz_when w;
  if (gz_date_parse((const char *)data, size, (gz_date_order)((sel >> 3) % 3), tz,
                    (sel >> 5) & 1 ? GZ_DATE_EPOCH : 0, &w) == 0) {
    char out[128];
    gz_format_iso(out, sizeof out, tz, &w);
    gz_format_long(out, sizeof out, tz, &w);
    gz_format_day_label(out, sizeof out, w.day);
    gz_format_week_label(out, sizeof out, w.day - (gz_iso_weekday(w.day) - 1));
    gz_format_range(out, sizeof out, w.day, w.day + (sel & 63));
    /* a date written by us must read back as the same instant (offsets
     * with seconds, from old local mean times, are written as such) */
    gz_format_iso(out, sizeof out, tz, &w);
    gz_when back;
    if (gz_tz_offset(tz, w.utc) % 60 == 0) {
      if (gz_date_parse(out, strlen(out), GZ_ORDER_YMD, tz, 0, &back) != 0) __builtin_trap();
      if (back.day != w.day || (w.has_time && back.utc != w.utc)) __builtin_trap();
    }
  }
  char *s = malloc(size + 1);
  if (s) {
    memcpy(s, data, size);
    s[size] = '\0';
    int64_t day;
    gz_date_parse_filter(s, tz, 1607343360, &day);
    char out[256], tmplwhy[64];
    gz_expand_template(s, 18600 + (sel & 127), out, sizeof out, tmplwhy, sizeof tmplwhy);
    free(s);
  }
  gz_tz_free(tz);
  return 0;
}
