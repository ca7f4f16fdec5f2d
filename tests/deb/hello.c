/* A program using libgazette as an installed library would. */
#include <gazette/gazette.h>
#include <stdio.h>

int main(int argc, char **argv) {
  gz_options o;
  gz_options_init(&o);
  gz_error err;
  gz_digest *d = gz_digest_new(&o, &err);
  if (!d || argc < 2 || gz_digest_add_path(d, argv[1], &err) || gz_digest_finish(d, &err)) return 1;
  gz_counts c = gz_digest_counts(d);
  printf("gazette %s: %llu articles in %llu groups\n", gz_version(), (unsigned long long)c.written,
         (unsigned long long)c.groups);
  gz_digest_free(d);
  return 0;
}
