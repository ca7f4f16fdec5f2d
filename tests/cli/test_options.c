/*
 * test_options.c - every option of the option table is documented: in
 * --help and in the man page (docs/gazette.1), with its short form too.
 * Also checks the table is sorted, since the parser uses bsearch on it,
 * and that the man page and the bash completion list exactly the input
 * formats of the reader table, and the man page their extensions.
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

/* The line of `text` that starts with `start`, as a new string; NULL
 * when there is none. */
static char *line_starting(const char *text, const char *start) {
  for (const char *p = text; p; p = strchr(p, '\n')) {
    if (*p == '\n') p++;
    if (strncmp(p, start, strlen(start)) == 0) {
      size_t n = strcspn(p, "\n");
      char *line = malloc(n + 1);
      if (line) memcpy(line, p, n), line[n] = '\0';
      return line;
    }
  }
  return NULL;
}

/* Is `word` "auto" or the name of an input format of the table? */
static bool is_format(const char *word, size_t n) {
  if (n == 4 && memcmp(word, "auto", 4) == 0) return true;
  const char *name;
  for (int f = 1; gz_input_format_info((gz_input_format)f, &name, NULL, NULL) == 0; f++)
    if (strlen(name) == n && memcmp(word, name, n) == 0) return true;
  return false;
}

/* The values --input-format lists in the man page ("\fBjson\fR|...")
 * and in the completion (compgen -W "auto json ...") are the table's. */
static void check_formats(const char *man, const char *man_path, const char *completion,
                          const char *completion_path) {
  char *man_line = line_starting(man, ".BR --input-format");
  char *comp_line = line_starting(completion, "    --input-format)");
  CHECK(man_line != NULL);
  CHECK(comp_line != NULL);
  if (!man_line || !comp_line) {
    free(man_line);
    free(comp_line);
    return;
  }
  const char *words = strstr(comp_line, "-W \"");
  CHECK(words != NULL);
  words = words ? words + 4 : "";
  size_t words_len = strcspn(words, "\"");
  const char *name, *const *ext;
  int n_formats = 0;
  for (int f = 1; gz_input_format_info((gz_input_format)f, &name, NULL, &ext) == 0; f++) {
    n_formats++;
    char s[80];
    snprintf(s, sizeof s, "\\fB%s\\fR", name);
    if (!strstr(man_line, s)) {
      fprintf(stderr, "--input-format %s is missing from %s\n", name, man_path);
      CHECK(0);
    }
    bool listed = false;
    for (const char *w = words; w < words + words_len;) {
      size_t n = strcspn(w, " \"");
      listed = listed || (n == strlen(name) && memcmp(w, name, n) == 0);
      w += n + (w[n] == ' ');
    }
    if (!listed) {
      fprintf(stderr, "--input-format %s is missing from %s\n", name, completion_path);
      CHECK(0);
    }
    for (; *ext; ext++) {
      snprintf(s, sizeof s, "\\fB%s\\fR", *ext);
      if (!strstr(man, s)) {
        fprintf(stderr, "the extension %s is missing from %s\n", *ext, man_path);
        CHECK(0);
      }
    }
  }
  CHECK(n_formats >= 3);
  /* and nothing is listed that the table does not have */
  for (const char *p = strstr(man_line, "\\fB"); p; p = strstr(p, "\\fB")) {
    p += 3;
    size_t n = strcspn(p, "\\");
    if (!is_format(p, n)) {
      fprintf(stderr, "--input-format %.*s of %s is no input format\n", (int)n, p, man_path);
      CHECK(0);
    }
  }
  for (const char *w = words; w < words + words_len;) {
    size_t n = strcspn(w, " \"");
    if (n && !is_format(w, n)) {
      fprintf(stderr, "--input-format %.*s of %s is no input format\n", (int)n, w, completion_path);
      CHECK(0);
    }
    w += n + (w[n] == ' ');
  }
  free(man_line);
  free(comp_line);
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
  check_formats(man, man_path, completion, completion_path);
  free(help);
  free(man);
  free(completion);
  TEST_MAIN_END();
}
