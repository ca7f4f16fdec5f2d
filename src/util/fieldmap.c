/*
 * fieldmap.c - parsing --field NAME=PATH (fieldmap.h). Written by hand:
 * the two path forms are a few lines each, and no packaged library reads
 * the dotted form.
 */
#include <stdio.h>
#include <string.h>

#include "util/fieldmap.h"

static const char *const map_names[GZ_MAP_COUNT] = {"items", "title",    "body",   "summary",
                                                    "date",  "captured", "author", "url",
                                                    "tags",  "image",    "lang"};

const char *gz_map_name_str(gz_map_name n) {
  return (unsigned)n < GZ_MAP_COUNT ? map_names[n] : "";
}

/* An index: 1 to 9 digits, so that it fits a long anywhere. */
static bool all_digits(const char *s, size_t n) { return n > 0 && n <= 9 && gz_ascii_digits(s, n); }

/* Adds a step to the growing list; false when out of memory. */
static bool add_step(gz_arena *arena, gz_field_map *m, size_t *cap, const char *key, size_t len,
                     long index) {
  if (m->n_steps == *cap) {
    size_t ncap = *cap ? *cap * 2 : 8;
    gz_path_step *ns = gz_arena_alloc(arena, ncap * sizeof *ns);
    if (!ns) return false;
    if (m->n_steps) memcpy(ns, m->steps, m->n_steps * sizeof *ns);
    m->steps = ns;
    *cap = ncap;
  }
  m->steps[m->n_steps++] = (gz_path_step){key, len, index};
  return true;
}

/* RFC 6901: "/a/b~1c/0"; each reference token unescaped into the arena. */
static int parse_pointer(const char *p, gz_arena *arena, gz_field_map *m, char *msg, size_t cap) {
  size_t steps_cap = 0;
  while (*p == '/') {
    const char *start = ++p;
    while (*p && *p != '/') p++;
    size_t n = (size_t)(p - start);
    char *key = gz_arena_alloc(arena, n + 1);
    if (!key) goto nomem;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
      if (start[i] != '~') {
        key[k++] = start[i];
        continue;
      }
      if (i + 1 < n && (start[i + 1] == '0' || start[i + 1] == '1')) {
        key[k++] = start[i + 1] == '0' ? '~' : '/';
        i++;
        continue;
      }
      snprintf(msg, cap, "--field %s: \"~\" in a JSON Pointer must be followed by 0 or 1", m->spec);
      return -1;
    }
    key[k] = 0;
    if (!add_step(arena, m, &steps_cap, key, k, all_digits(key, k) ? gz_ascii_number(key, k) : -1))
      goto nomem;
  }
  return 0;
nomem:
  snprintf(msg, cap, "out of memory");
  return -1;
}

/* Writes step n when there is room for it. */
static void put_step(gz_path_step *steps, size_t cap, size_t n, const char *key, size_t len,
                     long index) {
  if (n < cap) steps[n] = (gz_path_step){key, len, index};
}

long gz_path_dotted(const char *p, size_t len, gz_path_step *steps, size_t cap) {
  const char *end = p + len;
  size_t n = 0;
  bool need_key = true; /* at the start or after a dot */
  while (p < end) {
    if (*p == '[') {
      /* "[n]" an element, "[]" every element (where records sit inside
       * envelopes); after a key or an index, not after a dot */
      if (need_key && n > 0) return -1;
      long index = -2;
      if (p + 1 < end && p[1] == ']') {
        p += 2;
      } else {
        const char *start = ++p;
        while (p < end && *p >= '0' && *p <= '9') p++;
        size_t digits = (size_t)(p - start);
        if (p == end || *p != ']' || !all_digits(start, digits)) return -1;
        index = gz_ascii_number(start, digits);
        p++;
      }
      put_step(steps, cap, n++, NULL, 0, index);
      need_key = false;
      if (p < end && *p == '.') {
        if (++p == end) return -1;
        need_key = true;
      } else if (p < end && *p != '[') {
        return -1;
      }
      continue;
    }
    if (!need_key) return -1;
    const char *start = p;
    while (p < end && *p != '.' && *p != '[' && *p != ']') p++;
    if (p == start || (p < end && *p == ']')) return -1;
    put_step(steps, cap, n++, start, (size_t)(p - start), -1);
    need_key = false;
    if (p < end && *p == '.') {
      if (++p == end) return -1;
      need_key = true;
    }
  }
  return (long)n;
}

/* "a.b[2].c" (gz_path_dotted); the steps' keys point into `p`, which
 * the arena holds. */
static int parse_dotted(const char *p, gz_arena *arena, gz_field_map *m, char *msg, size_t cap) {
  size_t len = strlen(p);
  long n = gz_path_dotted(p, len, NULL, 0);
  if (n < 0) {
    snprintf(msg, cap,
             "--field %s: PATH is not a dotted path (headline.main, links[0].href) or a JSON "
             "Pointer (/headline/main)",
             m->spec);
    return -1;
  }
  m->steps = gz_arena_alloc(arena, (size_t)n * sizeof *m->steps);
  if (!m->steps) {
    snprintf(msg, cap, "out of memory");
    return -1;
  }
  m->n_steps = (size_t)gz_path_dotted(p, len, m->steps, (size_t)n);
  return 0;
}

int gz_field_map_parse(const char *spec, gz_arena *arena, gz_field_map *out, char *msg,
                       size_t cap) {
  memset(out, 0, sizeof *out);
  out->spec = gz_arena_strdup(arena, spec);
  if (!out->spec) {
    snprintf(msg, cap, "out of memory");
    return -1;
  }
  const char *eq = strchr(spec, '=');
  if (!eq) {
    snprintf(msg, cap, "--field %s: expected NAME=PATH (title=headline.main)", spec);
    return -1;
  }
  size_t nlen = (size_t)(eq - spec);
  int name = -1;
  for (int i = 0; i < GZ_MAP_COUNT; i++)
    if (strlen(map_names[i]) == nlen && memcmp(map_names[i], spec, nlen) == 0) name = i;
  if (name < 0) {
    snprintf(msg, cap,
             "--field %s: unknown NAME \"%.*s\" (items, title, body, summary, date, captured, "
             "author, url, tags, image, lang)",
             spec, (int)(nlen > 40 ? 40 : nlen), spec);
    return -1;
  }
  out->name = (gz_map_name)name;
  const char *path = eq + 1;
  out->path = out->spec + (path - spec);
  if (!*path || strcmp(path, "/") == 0) {
    snprintf(msg, cap, "--field %s: PATH is empty", spec);
    return -1;
  }
  return path[0] == '/' ? parse_pointer(path, arena, out, msg, cap)
                        : parse_dotted(out->path, arena, out, msg, cap);
}
