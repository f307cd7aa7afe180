#include "sim/json.h"

#include <assert.h>
#include <math.h>
#include <string.h>

void xb_json_init(xb_json_t *j, FILE *f)
{
    j->f = f;
    j->depth = 0;
    j->count[0] = 0;
    j->pending_key = 0;
    j->nonfinite = 0;
    j->first_bad = 0;
    j->first_bad_path[0] = 0;
}

static void indent(xb_json_t *j)
{
    fputc('\n', j->f);
    for (int i = 0; i < j->depth; i++)
        fputs("  ", j->f);
}

/* Separator and indentation before a value (or a key). */
static void before_item(xb_json_t *j)
{
    if (j->pending_key) {
        j->pending_key = 0;
        return;
    }
    if (j->depth > 0) {
        if (j->count[j->depth]++ > 0) fputc(',', j->f);
        indent(j);
    }
}

static void open(xb_json_t *j, char c)
{
    before_item(j);
    fputc(c, j->f);
    assert(j->depth + 1 < XB_JSON_MAX_DEPTH);
    j->count[++j->depth] = 0;
    j->is_array[j->depth] = c == '[';
    j->key[j->depth][0] = 0;
}

static void close(xb_json_t *j, char c)
{
    assert(j->depth > 0);
    int had = j->count[j->depth];
    j->depth--;
    if (had) indent(j);
    fputc(c, j->f);
}

void xb_json_begin_object(xb_json_t *j)
{
    open(j, '{');
}
void xb_json_end_object(xb_json_t *j)
{
    close(j, '}');
}
void xb_json_begin_array(xb_json_t *j)
{
    open(j, '[');
}
void xb_json_end_array(xb_json_t *j)
{
    close(j, ']');
}

static void write_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            fputs("\\\"", f);
            break;
        case '\\':
            fputs("\\\\", f);
            break;
        case '\n':
            fputs("\\n", f);
            break;
        case '\t':
            fputs("\\t", f);
            break;
        case '\r':
            fputs("\\r", f);
            break;
        default:
            if (*p < 0x20)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
}

void xb_json_key(xb_json_t *j, const char *key)
{
    before_item(j);
    if (j->depth > 0) snprintf(j->key[j->depth], XB_JSON_MAX_KEY, "%s", key);
    write_string(j->f, key);
    fputs(": ", j->f);
    j->pending_key = 1;
}

void xb_json_string(xb_json_t *j, const char *s)
{
    before_item(j);
    write_string(j->f, s);
}

void xb_json_int(xb_json_t *j, int64_t v)
{
    before_item(j);
    fprintf(j->f, "%lld", (long long)v);
}

void xb_json_double(xb_json_t *j, double v)
{
    before_item(j);
    if (!isfinite(v)) {
        /* JSON cannot hold it: null keeps the document valid, the caller must refuse it */
        if (j->nonfinite++ == 0) {
            j->first_bad = v;
            xb_json_path(j, j->first_bad_path, sizeof j->first_bad_path);
        }
        fputs("null", j->f);
    } else
        fprintf(j->f, "%.15g", v);
}

void xb_json_bool(xb_json_t *j, int v)
{
    before_item(j);
    fputs(v ? "true" : "false", j->f);
}

void xb_json_null(xb_json_t *j)
{
    before_item(j);
    fputs("null", j->f);
}

void xb_json_finish(xb_json_t *j)
{
    assert(j->depth == 0);
    fputc('\n', j->f);
}

const char *xb_json_path(const xb_json_t *j, char *buf, size_t size)
{
    size_t n = 0;
    if (size == 0) return buf;
    buf[0] = 0;
    for (int l = 1; l <= j->depth && n < size; l++) {
        int w;
        if (j->is_array[l])
            w = snprintf(buf + n, size - n, "[%d]", j->count[l] > 0 ? j->count[l] - 1 : 0);
        else
            w = snprintf(buf + n, size - n, "%s%s", n ? "." : "", j->key[l]);
        if (w < 0) break;
        n += (size_t)w;
    }
    return buf;
}

int xb_json_check(const xb_json_t *j, const char *file, xb_error_t *err)
{
    if (!j->nonfinite) return XB_OK;
    const char *what = isnan(j->first_bad) ? "nan" : j->first_bad > 0 ? "inf" : "-inf";
    if (j->nonfinite == 1)
        return xb_error_at(err, XB_ENUMERIC, file, 0, 0, "%s is %s", j->first_bad_path, what);
    return xb_error_at(err, XB_ENUMERIC, file, 0, 0, "%s is %s (and %d more non-finite values)",
                       j->first_bad_path, what, j->nonfinite - 1);
}
