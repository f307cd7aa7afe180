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

/* A report with an infinite figure deep inside: the first one is named by its path. */
static xb_json_t last;

static void report_with_inf(xb_json_t *j)
{
    xb_json_begin_object(j);
    xb_json_key(j, "energy");
    xb_json_begin_object(j);
    xb_json_key(j, "train");
    xb_json_begin_object(j);
    xb_json_key(j, "total_J");
    xb_json_double(j, 1e-6);
    xb_json_key(j, "by_category");
    xb_json_begin_object(j);
    xb_json_key(j, "device_read");
    xb_json_double(j, 2e-9);
    xb_json_key(j, "neuron");
    xb_json_double(j, 1e300 * 1e300);
    xb_json_key(j, "routing");
    xb_json_double(j, -1e300 * 1e300);
    xb_json_end_object(j);
    xb_json_end_object(j);
    xb_json_end_object(j);
    xb_json_key(j, "curve");
    xb_json_begin_array(j);
    xb_json_double(j, 0.5);
    xb_json_end_array(j);
    xb_json_end_object(j);
    xb_json_finish(j);
    last = *j;
}

START_TEST(non_finite_values_are_found_with_their_path)
{
    char *s = render(report_with_inf);
    free(s);
    ck_assert_int_eq(last.nonfinite, 2);
    xb_error_t err;
    xb_error_clear(&err);
    ck_assert_int_eq(xb_json_check(&last, "out/report.json", &err), XB_ENUMERIC);
    ck_assert_str_eq(err.file, "out/report.json");
    ck_assert_str_eq(err.msg, "energy.train.by_category.neuron is inf (and 1 more non-finite "
                              "values)");
}
END_TEST

static void array_nan(xb_json_t *j)
{
    xb_json_begin_object(j);
    xb_json_key(j, "curve");
    xb_json_begin_array(j);
    xb_json_begin_object(j);
    xb_json_key(j, "acc");
    xb_json_double(j, 0.25);
    xb_json_end_object(j);
    xb_json_begin_object(j);
    xb_json_key(j, "images");
    xb_json_int(j, 20);
    xb_json_key(j, "acc");
    xb_json_begin_array(j);
    xb_json_double(j, 0.5);
    xb_json_double(j, 0.0 / 0.0);
    xb_json_end_array(j);
    xb_json_end_object(j);
    xb_json_end_array(j);
    xb_json_end_object(j);
    xb_json_finish(j);
    last = *j;
}

START_TEST(paths_through_arrays)
{
    free(render(array_nan));
    xb_error_t err;
    xb_error_clear(&err);
    ck_assert_int_eq(xb_json_check(&last, NULL, &err), XB_ENUMERIC);
    ck_assert_str_eq(err.msg, "curve[1].acc[1] is nan");
}
END_TEST

START_TEST(finite_documents_pass_the_check)
{
    xb_error_t err;
    xb_error_clear(&err);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    xb_json_t j;
    xb_json_init(&j, f);
    nested(&j);
    fclose(f);
    free(buf);
    ck_assert_int_eq(j.nonfinite, 0);
    ck_assert_int_eq(xb_json_check(&j, NULL, &err), XB_OK);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("json");
    TCase *tc = tcase_create("json");
    tcase_add_test(tc, nested_layout);
    tcase_add_test(tc, strings_numbers_and_non_finite);
    tcase_add_test(tc, non_finite_values_are_found_with_their_path);
    tcase_add_test(tc, paths_through_arrays);
    tcase_add_test(tc, finite_documents_pass_the_check);
    suite_add_tcase(s, tc);
    return xb_test_main(s);
}
