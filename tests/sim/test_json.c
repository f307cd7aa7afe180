/* The JSON writer against hand-written expected text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/json.h"
#include "tests/xb_test.h"

static char *render(void (*fill)(xb_json_t *))
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    xb_json_t j;
    xb_json_init(&j, f);
    fill(&j);
    fclose(f);
    return buf;
}

static void nested(xb_json_t *j)
{
    xb_json_begin_array(j);
    xb_json_begin_object(j);
    xb_json_key(j, "a");
    xb_json_int(j, 1);
    xb_json_key(j, "b");
    xb_json_begin_object(j);
    xb_json_end_object(j);
    xb_json_key(j, "c");
    xb_json_begin_array(j);
    xb_json_double(j, 0.5);
    xb_json_bool(j, 1);
    xb_json_null(j);
    xb_json_end_array(j);
    xb_json_end_object(j);
    xb_json_end_array(j);
    xb_json_finish(j);
}

START_TEST(nested_layout)
{
    char *s = render(nested);
    ck_assert_str_eq(s, "[\n"
                        "  {\n"
                        "    \"a\": 1,\n"
                        "    \"b\": {},\n"
                        "    \"c\": [\n"
                        "      0.5,\n"
                        "      true,\n"
                        "      null\n"
                        "    ]\n"
                        "  }\n"
                        "]\n");
    free(s);
}
END_TEST

static void escapes(xb_json_t *j)
{
    xb_json_begin_object(j);
    xb_json_key(j, "s");
    xb_json_string(j, "a\"b\\c\nd\x01");
    xb_json_key(j, "nan");
    xb_json_double(j, 0.0 / 0.0);
    xb_json_key(j, "big");
    xb_json_int(j, 10287000000LL);
    xb_json_key(j, "third");
    xb_json_double(j, 1.0 / 3.0);
    xb_json_end_object(j);
    xb_json_finish(j);
}

START_TEST(strings_numbers_and_non_finite)
{
    char *s = render(escapes);
    ck_assert_str_eq(s, "{\n"
                        "  \"s\": \"a\\\"b\\\\c\\nd\\u0001\",\n"
                        "  \"nan\": null,\n"
                        "  \"big\": 10287000000,\n"
                        "  \"third\": 0.333333333333333\n"
                        "}\n");
    free(s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("json");
    TCase *tc = tcase_create("json");
    tcase_add_test(tc, nested_layout);
    tcase_add_test(tc, strings_numbers_and_non_finite);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
