/* xbarsim studies: a small JSON reader into dotted paths (sim/study_json.h). */
#include "sim/study_json.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "sim/fsio.h"

#define MAX_DEPTH 64

typedef struct entry {
    char *path;
    char *str; /* string value, or NULL */
    double num;
    int is_num;
} entry_t;

struct xb_jflat {
    entry_t *e;
    int n, cap;
};

typedef struct parser {
    const char *s;
    size_t len, i;
    xb_jflat_t *j;
    int depth;
    int oom;
} parser_t;

static void ws(parser_t *p)
{
    while (p->i < p->len && isspace((unsigned char)p->s[p->i]))
        p->i++;
}

static int add(parser_t *p, const char *path, char *str, double num, int is_num)
{
    xb_jflat_t *j = p->j;
    if (j->n == j->cap) {
        int cap = j->cap ? 2 * j->cap : 64;
        entry_t *e = realloc(j->e, sizeof *e * (size_t)cap);
        if (!e) return p->oom = 1, 0;
        j->e = e;
        j->cap = cap;
    }
    size_t n = strlen(path) + 1;
    char *copy = malloc(n);
    if (!copy) return p->oom = 1, 0;
    memcpy(copy, path, n);
    j->e[j->n++] = (entry_t){copy, str, num, is_num};
    return 1;
}

/* A string (escapes decoded; \u kept only for ASCII, others as '?'); malloc'ed. */
static char *string(parser_t *p)
{
    if (p->i >= p->len || p->s[p->i] != '"') return NULL;
    p->i++;
    size_t cap = 32, n = 0;
    char *out = malloc(cap);
    if (!out) return p->oom = 1, NULL;
    while (p->i < p->len && p->s[p->i] != '"') {
        char c = p->s[p->i++];
        if (c == '\\' && p->i < p->len) {
            char e = p->s[p->i++];
            c = e == 'n'   ? '\n'
                : e == 't' ? '\t'
                : e == 'r' ? '\r'
                : e == 'b' ? '\b'
                : e == 'f' ? '\f'
                           : e;
            if (e == 'u') {
                if (p->i + 4 > p->len) break;
                char hex[5] = {0};
                memcpy(hex, p->s + p->i, 4);
                long u = strtol(hex, NULL, 16);
                p->i += 4;
                c = u > 0 && u < 0x80 ? (char)u : '?';
            }
        }
        if (n + 2 > cap) {
            cap *= 2;
            char *b = realloc(out, cap);
            if (!b) {
                free(out);
                return p->oom = 1, NULL;
            }
            out = b;
        }
        out[n++] = c;
    }
    if (p->i >= p->len) {
        free(out);
        return NULL;
    }
    p->i++;
    out[n] = 0;
    return out;
}

static int value(parser_t *p, char *path, size_t plen, int record);

static int object(parser_t *p, char *path, size_t plen, int record)
{
    p->i++; /* { */
    ws(p);
    if (p->i < p->len && p->s[p->i] == '}') return p->i++, 1;
    for (;;) {
        ws(p);
        char *key = string(p);
        if (!key) return 0;
        size_t kl = strlen(key);
        size_t np = plen + (plen ? 1 : 0) + kl;
        if (np >= 1024) {
            free(key);
            return 0;
        }
        if (plen) path[plen] = '.';
        memcpy(path + plen + (plen ? 1 : 0), key, kl + 1);
        free(key);
        ws(p);
        if (p->i >= p->len || p->s[p->i] != ':') return 0;
        p->i++;
        if (!value(p, path, np, record)) return 0;
        path[plen] = 0;
        ws(p);
        if (p->i < p->len && p->s[p->i] == ',') {
            p->i++;
            continue;
        }
        if (p->i < p->len && p->s[p->i] == '}') return p->i++, 1;
        return 0;
    }
}

static int array(parser_t *p, char *path, size_t plen)
{
    p->i++; /* [ */
    ws(p);
    if (p->i < p->len && p->s[p->i] == ']') return p->i++, 1;
    for (;;) {
        if (!value(p, path, plen, 0)) return 0;
        ws(p);
        if (p->i < p->len && p->s[p->i] == ',') {
            p->i++;
            continue;
        }
        if (p->i < p->len && p->s[p->i] == ']') return p->i++, 1;
        return 0;
    }
}

static int value(parser_t *p, char *path, size_t plen, int record)
{
    ws(p);
    if (p->i >= p->len || p->oom) return 0;
    if (++p->depth > MAX_DEPTH) return 0;
    int ok = 0;
    char c = p->s[p->i];
    if (c == '{') {
        ok = object(p, path, plen, record);
    } else if (c == '[') {
        ok = array(p, path, plen);
    } else if (c == '"') {
        char *s = string(p);
        ok = s != NULL;
        if (ok && record)
            ok = add(p, path, s, 0, 0);
        else
            free(s);
    } else if (!strncmp(p->s + p->i, "true", 4) || !strncmp(p->s + p->i, "null", 4)) {
        p->i += 4;
        ok = 1;
    } else if (!strncmp(p->s + p->i, "false", 5)) {
        p->i += 5;
        ok = 1;
    } else {
        char *end;
        double x = strtod(p->s + p->i, &end);
        if (end == p->s + p->i) return 0;
        p->i = (size_t)(end - p->s);
        ok = record ? add(p, path, NULL, x, 1) : 1;
    }
    p->depth--;
    return ok;
}

int xb_jflat_parse(const char *text, size_t len, xb_jflat_t **out, xb_error_t *err)
{
    *out = NULL;
    xb_jflat_t *j = calloc(1, sizeof *j);
    if (!j) return xb_error_set(err, XB_ENOMEM, "out of memory");
    char path[1024] = "";
    parser_t p = {text, len, 0, j, 0, 0};
    int ok = value(&p, path, 0, 1);
    ws(&p);
    if (p.oom) {
        xb_jflat_destroy(j);
        return xb_error_set(err, XB_ENOMEM, "out of memory");
    }
    if (!ok || p.i != len) {
        xb_jflat_destroy(j);
        return xb_error_set(err, XB_EFORMAT, "not JSON (at byte %zu)", p.i);
    }
    *out = j;
    return XB_OK;
}

int xb_jflat_load(const char *path, xb_jflat_t **out, xb_error_t *err)
{
    char *buf;
    size_t len;
    *out = NULL;
    int rc = xb_read_regular(path, 16u << 20, &buf, &len, err);
    if (rc != XB_OK) return rc;
    rc = xb_jflat_parse(buf, len, out, err);
    free(buf);
    if (rc == XB_EFORMAT) {
        xb_error_t e = *err;
        return xb_error_at(err, rc, path, 0, 0, "%s", e.msg);
    }
    return rc;
}

void xb_jflat_destroy(xb_jflat_t *j)
{
    if (!j) return;
    for (int i = 0; i < j->n; i++) {
        free(j->e[i].path);
        free(j->e[i].str);
    }
    free(j->e);
    free(j);
}

static const entry_t *find(const xb_jflat_t *j, const char *path)
{
    for (int i = 0; i < j->n; i++)
        if (!strcmp(j->e[i].path, path)) return &j->e[i];
    return NULL;
}

int xb_jflat_number(const xb_jflat_t *j, const char *path, double *x)
{
    const entry_t *e = find(j, path);
    if (!e || !e->is_num) return 0;
    *x = e->num;
    return 1;
}

const char *xb_jflat_string(const xb_jflat_t *j, const char *path)
{
    const entry_t *e = find(j, path);
    return e && !e->is_num ? e->str : NULL;
}
