/* The corpus of malformed and hostile netlists (tests/data/netlists/bad/): every file is refused
 * with the message fragment and the location written in its header ("# expect: L:C: text"; in
 * NAME.yaml.expect for files that cannot hold a comment: empty, UTF-16, a leading byte-order
 * mark), through the API and through `xbarsim check`, which must exit 2, print nothing on stdout
 * and exactly one line on stderr. */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/netlist.h"
#include "tests/xb_test.h"

#define MAX_FILES 400

static glob_t files;

typedef struct expect {
    char cls[64];
    int line, col;
    char frag[400];
} expect_t;

/* Reads the "# class:" and "# expect:" lines of path (or of path.expect when it exists). */
static void read_expect(const char *path, expect_t *e)
{
    char side[1200], line[1000];
    snprintf(side, sizeof side, "%s.expect", path);
    FILE *f = fopen(side, "rb");
    if (!f) f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    memset(e, 0, sizeof *e);
    e->line = -1;
    for (int i = 0; i < 5 && fgets(line, sizeof line, f); i++) {
        line[strcspn(line, "\r\n")] = 0;
        if (!strncmp(line, "# class: ", 9)) snprintf(e->cls, sizeof e->cls, "%.63s", line + 9);
        if (!strncmp(line, "# expect: ", 10)) {
            int n = 0;
            ck_assert_msg(sscanf(line + 10, "%d:%d: %n", &e->line, &e->col, &n) == 2 && n > 0,
                          "%s: bad expect line '%s'", path, line);
            snprintf(e->frag, sizeof e->frag, "%s", line + 10 + n);
        }
    }
    fclose(f);
    ck_assert_msg(e->line > 0 && e->frag[0] && e->cls[0], "%s: no class or expect header", path);
}

START_TEST(corpus_file_is_refused_where_its_header_says)
{
    const char *path = files.gl_pathv[_i];
    expect_t e;
    read_expect(path, &e);

    /* the API: an input error, located, with the fragment in the one-line message */
    xb_netlist_t nl, before;
    xb_netlist_defaults(&before);
    nl = before;
    xb_error_t err;
    int rc = xb_netlist_load_file(&nl, path, &err);
    ck_assert_msg(rc == XB_EINVAL || rc == XB_EFORMAT, "%s: code %d (%s)", path, rc, err.msg);
    ck_assert_mem_eq(&nl, &before, sizeof nl);
    char msg[4400], prefix[1300];
    xb_error_format(&err, msg, sizeof msg);
    snprintf(prefix, sizeof prefix, "%s:%d:%d: ", path, e.line, e.col);
    ck_assert_msg(!strncmp(msg, prefix, strlen(prefix)), "%s: '%s' is not at %d:%d", path, msg,
                  e.line, e.col);
    ck_assert_msg(strstr(msg + strlen(prefix), e.frag) != NULL, "%s: '%s' lacks '%s'", path, msg,
                  e.frag);
    ck_assert_ptr_null(strchr(msg, '\n'));

    /* the command: exit 2, nothing on stdout, exactly that line on stderr */
    char out[256], errbuf[8192], want[4500];
    const char *argv[] = {"check", path, NULL};
    int status = xb_test_run_argv(argv, out, sizeof out, errbuf, sizeof errbuf);
    ck_assert_msg(status == 2, "%s: exit %d (%s)", path, status, errbuf);
    ck_assert_msg(out[0] == 0, "%s: printed '%s' on stdout", path, out);
    snprintf(want, sizeof want, "xbarsim: %s\n", msg);
    ck_assert_str_eq(errbuf, want);
}
END_TEST

/* Every class of bad input the corpus promises has files, and there are at least 60. */
START_TEST(corpus_covers_every_class)
{
    static const char *const classes[] = {
        "syntax",    "unknown-key", "wrong-type",    "range",    "non-finite",
        "overflow",  "enum",        "device",        "geometry", "name",
        "duplicate", "tag",         "quoted-number", "depth",    "encoding",
        "document",  "long",        "alias",         "data",     "adc",
    };
    const int n = (int)(sizeof classes / sizeof classes[0]);
    int count[sizeof classes / sizeof classes[0]] = {0};
    ck_assert_int_ge((int)files.gl_pathc, 60);
    for (size_t i = 0; i < files.gl_pathc; i++) {
        expect_t e;
        read_expect(files.gl_pathv[i], &e);
        int k = 0;
        while (k < n && strcmp(classes[k], e.cls))
            k++;
        ck_assert_msg(k < n, "%s: unknown class '%s'", files.gl_pathv[i], e.cls);
        count[k]++;
    }
    for (int k = 0; k < n; k++)
        ck_assert_msg(count[k] > 0, "no corpus file of class %s", classes[k]);
}
END_TEST

int main(void)
{
    char pattern[1100];
    snprintf(pattern, sizeof pattern, "%s", xb_test_src_path("tests/data/netlists/bad/*.yaml"));
    if (glob(pattern, 0, NULL, &files) != 0 || files.gl_pathc == 0 || files.gl_pathc > MAX_FILES) {
        fprintf(stderr, "no corpus under %s\n", pattern);
        return EXIT_FAILURE;
    }
    Suite *s = suite_create("netlist_corpus");
    TCase *tc = tcase_create("netlist_corpus");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, corpus_file_is_refused_where_its_header_says, 0, (int)files.gl_pathc);
    tcase_add_test(tc, corpus_covers_every_class);
    suite_add_tcase(s, tc);
    int rc = xb_test_main(s);
    globfree(&files);
    return rc;
}
