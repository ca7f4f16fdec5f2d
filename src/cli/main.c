/*
 * main.c - the gazette command: parse options, call the library, print
 * what it returns, and choose the exit status (SPEC 5).
 */
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

/* Lives as long as the process: a signal may come at any moment. */
static gz_cancel *canceled;

static void on_signal(int sig) {
  (void)sig;
  gz_cancel_raise(canceled);
}

/* A crash (an abort inside a library, a bad access) still takes the
 * temporary files with it; then the signal does what it always does. */
static void on_crash(int sig) {
  gz_remove_temp_files();
  signal(sig, SIG_DFL);
  raise(sig);
}

static void install_signals(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
  signal(SIGPIPE, SIG_IGN); /* a closed pipe is a write error, not a crash */
  signal(SIGXFSZ, SIG_IGN); /* so is a file size limit */
  static const int crashes[] = {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL};
  sa.sa_handler = on_crash;
  sa.sa_flags = SA_RESETHAND | SA_NODEFER;
  for (size_t i = 0; i < sizeof crashes / sizeof crashes[0]; i++) sigaction(crashes[i], &sa, NULL);
}

static int write_stdout(const void *data, size_t size, void *user) {
  (void)user;
  return fwrite(data, 1, size, stdout) == size ? 0 : -1;
}

static bool ends_with(const char *s, const char *ext) {
  size_t n = strlen(s), e = strlen(ext);
  if (n < e) return false;
  for (size_t i = 0; i < e; i++) {
    char c = s[n - e + i];
    if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
    if (c != ext[i]) return false;
  }
  return true;
}

static int exit_for(gz_code code) {
  switch (code) {
    case GZ_ERR_USAGE:
      return EXIT_USAGE;
    case GZ_ERR_EMPTY:
      return EXIT_UNUSABLE;
    default:
      return EXIT_WRITE;
  }
}

/* Says why the run stopped and gives its exit status. An interruption
 * reads the same wherever it came (reading, grouping or writing):
 * nothing is written in any of them. */
static int fail(const gz_error *err) {
  if (err->code == GZ_ERR_CANCELED)
    msg_error("interrupted; nothing written");
  else
    msg_gz_error(err);
  return exit_for(err->code);
}

/* "(12 duplicates dropped, 3 skipped)" with only what is not zero. */
static void summary_tail(const gz_counts *c, char *out, size_t cap) {
  char parts[4][64];
  int n = 0;
  if (c->duplicates)
    snprintf(parts[n++], 64, "%llu duplicate%s dropped", (unsigned long long)c->duplicates,
             c->duplicates == 1 ? "" : "s");
  if (c->filtered) snprintf(parts[n++], 64, "%llu filtered out", (unsigned long long)c->filtered);
  if (c->skipped) snprintf(parts[n++], 64, "%llu skipped", (unsigned long long)c->skipped);
  if (c->inputs_skipped)
    snprintf(parts[n++], 64, "%llu input%s unreadable", (unsigned long long)c->inputs_skipped,
             c->inputs_skipped == 1 ? "" : "s");
  out[0] = '\0';
  if (n == 0) return;
  size_t len = 0;
  len += (size_t)snprintf(out + len, cap - len, " (");
  for (int i = 0; i < n && len < cap; i++)
    len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? ", " : "", parts[i]);
  if (len < cap) snprintf(out + len, cap - len, ")");
}

static void thousands(uint64_t v, char *out, size_t cap) {
  char digits[32];
  int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)v);
  size_t k = 0;
  for (int i = 0; i < n && k + 2 < cap; i++) {
    if (i > 0 && (n - i) % 3 == 0) out[k++] = ',';
    out[k++] = digits[i];
  }
  out[k] = '\0';
}

/* "Wrote digest.epub: 57 articles in 29 groups (3 duplicates dropped)",
 * "Kept digest.epub (unchanged): ..." when its bytes would not change,
 * or for --list "Plan: ...; no file written". */
static void print_summary(const char *verb, const char *what, const gz_counts *c) {
  char tail[300], articles[40], groups[40];
  summary_tail(c, tail, sizeof tail);
  thousands(c->written, articles, sizeof articles);
  thousands(c->groups, groups, sizeof groups);
  progress_clear();
  if (what)
    fprintf(stderr, "%s %s: %s article%s in %s group%s%s\n", verb, what, articles,
            c->written == 1 ? "" : "s", groups, c->groups == 1 ? "" : "s", tail);
  else
    fprintf(stderr, "Plan: %s article%s in %s group%s%s; no file written\n", articles,
            c->written == 1 ? "" : "s", groups, c->groups == 1 ? "" : "s", tail);
}

int main(int argc, char **argv) {
  /* The language detector (CLD2) allocates and frees a scoring buffer of
   * a few hundred kilobytes for every article; with glibc's default trim
   * threshold (128 KB) each free gave the memory back to the kernel and
   * the next call took it again: two system calls and dozens of page
   * faults an article, a third of the reading time. The command keeps up
   * to 32 MB of freed heap instead; the library leaves the host's
   * allocator settings alone. */
  mallopt(M_TRIM_THRESHOLD, 32 << 20);
  cli_config cfg;
  int status = cli_parse(argc, argv, &cfg);
  if (status) {
    cli_config_free(&cfg);
    return status;
  }
  msg_set_quiet(cfg.quiet);
  if (cfg.help) {
    cli_print_help();
    cli_config_free(&cfg);
    return EXIT_OK;
  }
  if (cfg.version) {
    printf("gazette %s\n", gz_version());
    cli_config_free(&cfg);
    return EXIT_OK;
  }
  status = EXIT_USAGE;
  bool to_stdout = cfg.output && strcmp(cfg.output, "-") == 0;
  if (cfg.n_inputs == 0) {
    msg_error("no INPUT given (see gazette --help)");
    goto out;
  }
  if (cfg.json && !cfg.list) {
    msg_error("--json goes with --list (see gazette --help)");
    goto out;
  }
  if (!cfg.list) {
    if (!cfg.output) {
      msg_error("no output: give -o FILE.epub, -o FILE.pdf or --list (see gazette --help)");
      goto out;
    }
    if (!cfg.format_given) {
      if (to_stdout) {
        msg_error("-o - needs --format epub or --format pdf");
        goto out;
      }
      if (ends_with(cfg.output, ".pdf"))
        cfg.w.format = GZ_FORMAT_PDF;
      else if (ends_with(cfg.output, ".epub"))
        cfg.w.format = GZ_FORMAT_EPUB;
      else {
        msg_error("%s: cannot tell the format from the name; use .epub or .pdf, or --format",
                  cfg.output);
        goto out;
      }
    }
    if (to_stdout && cfg.w.split) {
      msg_error("--split writes many files and cannot write to standard output");
      goto out;
    }
    if (to_stdout && isatty(STDOUT_FILENO)) {
      msg_error("refusing to write a binary file to the terminal; redirect standard output");
      goto out;
    }
    if (cfg.w.split && !strchr(cfg.output, '%')) {
      msg_error(
          "--split needs a template with fields such as %%Y, %%m, %%d or %%V, e.g. "
          "'digests/%%G-W%%V.pdf'");
      goto out;
    }
  }
  cfg.opts.jobs = cfg.w.jobs;
  cfg.w.fonts = cfg.fonts;
  cfg.w.n_fonts = cfg.n_fonts;
  const char *sde = getenv("SOURCE_DATE_EPOCH");
  if (sde && *sde) {
    char *end;
    errno = 0;
    long long v = strtoll(sde, &end, 10);
    if (*end || errno || v < 0) {
      msg_error("SOURCE_DATE_EPOCH=%s is not a number of seconds", sde);
      goto out;
    }
    cfg.w.modified = v;
    cfg.w.has_modified = 1;
  }
  const char *now = getenv("GAZETTE_NOW");
  if (now && *now) cfg.opts.now = strtoll(now, NULL, 10);

  /* An output or state file that is an input: refused before anything
   * is read (--split names are checked once the groups are known). */
  const char *targets[2] = {cfg.list || to_stdout || cfg.w.split ? NULL : cfg.output,
                            cfg.opts.new_since_state};
  for (size_t i = 0; i < 2; i++) {
    gz_error err;
    if (targets[i] && gz_check_target(cfg.inputs, cfg.n_inputs, targets[i], &err)) {
      status = fail(&err);
      goto out;
    }
  }

  canceled = gz_cancel_new();
  if (!canceled) {
    msg_error("out of memory");
    goto out;
  }
  install_signals();
  progress_init(true);
  cfg.opts.on_diag = msg_diag;
  cfg.opts.on_progress = progress_update;
  cfg.opts.cancel = canceled;

  gz_error err;
  gz_digest *d = gz_digest_new(&cfg.opts, &err);
  if (!d) {
    status = fail(&err);
    goto out;
  }
  for (size_t i = 0; i < cfg.n_inputs; i++) {
    if (gz_digest_add_path(d, cfg.inputs[i], &err)) {
      status = fail(&err);
      goto done;
    }
  }
  if (gz_digest_finish(d, &err)) {
    status = fail(&err);
    goto done;
  }
  gz_counts c = gz_digest_counts(d);
  bool lost = c.skipped || c.inputs_skipped || c.errors;
  if (cfg.list) {
    if (gz_digest_write_plan(d, cfg.json, write_stdout, NULL, &err) || fflush(stdout)) {
      msg_error("cannot write the plan to standard output");
      status = EXIT_WRITE;
      goto done;
    }
    status = c.written == 0 || (cfg.strict && lost) ? EXIT_UNUSABLE : lost ? EXIT_SKIPPED : EXIT_OK;
    if (!cfg.quiet) print_summary(NULL, NULL, &c);
    goto done;
  }
  if (c.written == 0) {
    if (c.read == 0)
      msg_error("nothing written: no article could be read");
    else
      msg_error("nothing written: none of the %llu articles read is left to write",
                (unsigned long long)c.read);
    status = EXIT_UNUSABLE;
    goto done;
  }
  if (cfg.strict && lost) {
    msg_error("nothing written: --strict, and %llu article%s and %llu input%s would be skipped",
              (unsigned long long)(c.skipped), c.skipped == 1 ? "" : "s",
              (unsigned long long)(c.inputs_skipped + c.errors),
              c.inputs_skipped + c.errors == 1 ? "" : "s");
    status = EXIT_UNUSABLE;
    goto done;
  }
  int rc = to_stdout ? gz_digest_write_fd(d, &cfg.w, STDOUT_FILENO, &err)
                     : gz_digest_write(d, &cfg.w, cfg.output, &err);
  if (rc) {
    status = fail(&err);
    goto done;
  }
  if (cfg.opts.new_since_state && gz_digest_commit_state(d, &err)) {
    status = fail(&err);
    goto done;
  }
  if (!cfg.quiet) {
    gz_counts files = gz_digest_counts(d);
    char what[4200];
    if (cfg.w.split && files.files_unchanged)
      snprintf(what, sizeof what, "%llu files from %s (%llu written, %llu unchanged)",
               (unsigned long long)c.groups, cfg.output, (unsigned long long)files.files_written,
               (unsigned long long)files.files_unchanged);
    else if (cfg.w.split)
      snprintf(what, sizeof what, "%llu files from %s", (unsigned long long)c.groups, cfg.output);
    else if (files.files_unchanged)
      snprintf(what, sizeof what, "%s (unchanged)", cfg.output);
    else
      snprintf(what, sizeof what, "%s", to_stdout ? "standard output" : cfg.output);
    print_summary(!cfg.w.split && files.files_unchanged ? "Kept" : "Wrote", what, &c);
  }
  status = lost ? EXIT_SKIPPED : EXIT_OK;
done:
  progress_clear();
  gz_digest_free(d);
out:
  cli_config_free(&cfg);
  return status;
}
