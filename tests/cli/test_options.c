/*
 * test_options.c - every option of the option table is documented: in
 * --help and in the man page (docs/gazette.1), with its short form too.
 * Also checks the table is sorted, since the parser uses bsearch on it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "testing.h"

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *s = malloc((size_t)n + 1);
  if (s && fread(s, 1, (size_t)n, f) != (size_t)n) n = 0;
  if (s) s[n] = '\0';
  fclose(f);
  return s;
}

/* The man page writes "-" as "\-": turn them back. */
static void unescape_hyphens(char *s) {
  char *w = s;
  for (char *r = s; *r; r++) {
    if (r[0] == '\\' && r[1] == '-') continue;
    *w++ = *r;
  }
  *w = '\0';
}

static char *help_text(void) {
  char path[] = "/tmp/gz-help-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return NULL;
  fflush(stdout);
  int saved = dup(STDOUT_FILENO);
  dup2(fd, STDOUT_FILENO);
  cli_print_help();
  fflush(stdout);
  dup2(saved, STDOUT_FILENO);
  close(saved);
  close(fd);
  char *s = slurp(path);
  unlink(path);
  return s;
}

/* Does `word` stand in `text` as a whole word ("--list", not the start
 * of "--list-all")? */
static bool has_word(const char *text, const char *word) {
  size_t n = strlen(word);
  for (const char *p = strstr(text, word); p; p = strstr(p + 1, word)) {
    char next = p[n];
    if (!(next >= 'a' && next <= 'z') && next != '-') return true;
  }
  return false;
}

int main(int argc, char **argv) {
  const char *man_path = argc > 1 ? argv[1] : "docs/gazette.1";
  const char *completion_path = argc > 2 ? argv[2] : "scripts/completion/gazette.bash";
  char *help = help_text();
  char *man = slurp(man_path);
  char *completion = slurp(completion_path);
  CHECK(help != NULL);
  CHECK(man != NULL);
  CHECK(completion != NULL);
  if (!help || !man || !completion) TEST_MAIN_END();
  unescape_hyphens(man);
  for (size_t i = 0; i < cli_n_options; i++) {
    const cli_option *o = &cli_options[i];
    char name[80];
    snprintf(name, sizeof name, "--%s", o->name);
    if (!strstr(help, name)) {
      fprintf(stderr, "%s is missing from --help\n", name);
      CHECK(0);
    }
    if (!strstr(man, name)) {
      fprintf(stderr, "%s is missing from %s\n", name, man_path);
      CHECK(0);
    }
    if (!has_word(completion, name)) {
      fprintf(stderr, "%s is missing from %s\n", name, completion_path);
      CHECK(0);
    }
    if (o->short_name) {
      char s[8];
      snprintf(s, sizeof s, "-%c, --", o->short_name);
      if (!strstr(help, s)) {
        fprintf(stderr, "-%c is missing from --help\n", o->short_name);
        CHECK(0);
      }
      snprintf(s, sizeof s, "-%c", o->short_name);
      if (!strstr(man, s)) {
        fprintf(stderr, "-%c is missing from %s\n", o->short_name, man_path);
        CHECK(0);
      }
    }
    if (i > 0) CHECK(strcmp(cli_options[i - 1].name, o->name) < 0);
    CHECK(o->help && strlen(o->help) > 10);
  }
  /* exit statuses and environment variables are documented */
  for (int status = 0; status <= 4; status++) {
    char s[16];
    snprintf(s, sizeof s, ".B %d\n", status);
    CHECK(strstr(man, s) != NULL);
  }
  CHECK(strstr(man, "SOURCE_DATE_EPOCH") != NULL);
  CHECK(strstr(man, ".B TZ") != NULL);
  CHECK(strstr(help, "SOURCE_DATE_EPOCH") != NULL);
  free(help);
  free(man);
  free(completion);
  TEST_MAIN_END();
}
