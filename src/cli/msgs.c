/*
 * msgs.c - the one place where gazette talks on standard error: messages
 * as "gazette: FILE:LINE:COL: text", and the progress line.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"

static bool quiet;
static bool progress_on;
static bool progress_shown;
static struct timespec progress_last;
static struct timespec progress_start;
static struct timespec stage_start; /* rates and time left count from here */
static const char *progress_stage;

void msg_set_quiet(bool q) { quiet = q; }

void progress_clear(void) {
  if (progress_shown) {
    fputs("\r\033[K", stderr);
    progress_shown = false;
  }
}

void msg_error(const char *fmt, ...) {
  progress_clear();
  va_list ap;
  va_start(ap, fmt);
  fputs("gazette: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

/* The library gives file names with control characters escaped, so each
 * message is one line. */
static void print_located(const char *file, unsigned long line, unsigned long col,
                          const char *message) {
  progress_clear();
  if (file && *file && line && col)
    fprintf(stderr, "gazette: %s:%lu:%lu: %s\n", file, line, col, message);
  else if (file && *file && line)
    fprintf(stderr, "gazette: %s:%lu: %s\n", file, line, message);
  else if (file && *file)
    fprintf(stderr, "gazette: %s: %s\n", file, message);
  else
    fprintf(stderr, "gazette: %s\n", message);
}

void msg_diag(const gz_diag *dg, void *user) {
  (void)user;
  if (quiet && dg->severity == GZ_SEV_WARNING) return;
  const char *prefix = dg->severity == GZ_SEV_WARNING ? "warning: " : "";
  char text[1400];
  snprintf(text, sizeof text, "%s%s", prefix, dg->message);
  print_located(dg->file, dg->line, dg->col, text);
}

void msg_gz_error(const gz_error *err) {
  print_located(err->file, err->line, err->col,
                err->message[0] ? err->message : gz_code_name(err->code));
}

/* ---- progress ---- */

static double since(const struct timespec *a, const struct timespec *b) {
  return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

void progress_init(bool enabled) {
  progress_on = enabled && !quiet && isatty(STDERR_FILENO);
  clock_gettime(CLOCK_MONOTONIC, &progress_start);
  progress_last = stage_start = progress_start;
  progress_stage = NULL;
}

void progress_update(const char *stage, uint64_t done, uint64_t total, void *user) {
  (void)user;
  if (!progress_on) return;
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  if (!progress_stage || strcmp(stage, progress_stage) != 0) {
    progress_stage = stage;
    stage_start = now;
  }
  /* Only long runs get a progress line, and at most ten updates a second. */
  if (since(&progress_start, &now) < 0.5 || since(&progress_last, &now) < 0.1) return;
  progress_last = now;
  double secs = since(&stage_start, &now);
  if (total > 0) {
    int width = 30, filled = (int)((double)width * (double)done / (double)total);
    if (filled > width) filled = width;
    char bar[64];
    memset(bar, '#', (size_t)filled);
    memset(bar + filled, '-', (size_t)(width - filled));
    bar[width] = '\0';
    double rate = secs > 0 ? (double)done / secs : 0;
    double left = rate > 0 ? (double)(total - (done < total ? done : total)) / rate : 0;
    fprintf(stderr, "\r\033[K%s [%s] %llu/%llu  %.0f/s  ~%.0fs left", stage, bar,
            (unsigned long long)done, (unsigned long long)total, rate, left);
  } else {
    fprintf(stderr, "\r\033[K%s %.1f MB  %.1f MB/s", stage, (double)done / 1e6,
            secs > 0 ? (double)done / 1e6 / secs : 0.0);
  }
  progress_shown = true;
}
