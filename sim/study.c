/* xbarsim studies: reading and checking a study file (sim/study.h). The YAML is read by the
 * netlist reader (sim/netlist_yaml.h: the same refusals, errors at file:line:col); every key
 * path is checked against the netlist schema (sim/netlist_fields.c), with the nearest known
 * key suggested. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sim/fsio.h"
#include "sim/netlist_fields.h"
#include "sim/netlist_yaml.h"
#include "sim/study_impl.h"

#define STUDY_MAX_BYTES (16u << 20)

typedef struct reader {
    xb_study_t *s;
    xb_nl_doc_t doc;
    xb_error_t *err;
} reader_t;

static int at(reader_t *r, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int at(reader_t *r, const yaml_node_t *n, const char *fmt, ...)
{
    char msg[480];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return xb_error_at(r->err, XB_EINVAL, r->s->path, n ? (int)n->start_mark.line + 1 : 1,
                       n ? (int)n->start_mark.column + 1 : 1, "%s", msg);
}

static yaml_node_t *node(reader_t *r, int i)
{
    return yaml_document_get_node(&r->doc.doc, i);
}

static const char *scalar(const yaml_node_t *n)
{
    return (const char *)n->data.scalar.value;
}

static const char *kind(const yaml_node_t *n)
{
    return n->type == YAML_MAPPING_NODE    ? "a mapping"
           : n->type == YAML_SEQUENCE_NODE ? "a list"
                                           : "a scalar";
}

/* ---------------------------------------------------------------- suggestions */

static int edit_distance(const char *a, const char *b)
{
    int la = (int)strlen(a), lb = (int)strlen(b);
    if (la > 120 || lb > 120) return 999;
    int *prev = malloc(sizeof(int) * (size_t)(lb + 1)),
        *cur = malloc(sizeof(int) * (size_t)(lb + 1));
    if (!prev || !cur) {
        free(prev);
        free(cur);
        return 999;
    }
    for (int j = 0; j <= lb; j++)
        prev[j] = j;
    for (int i = 1; i <= la; i++) {
        cur[0] = i;
        for (int j = 1; j <= lb; j++) {
            int c = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (prev[j] + 1 < c) c = prev[j] + 1;
            if (cur[j - 1] + 1 < c) c = cur[j - 1] + 1;
            cur[j] = c;
        }
        int *t = prev;
        prev = cur;
        cur = t;
    }
    int d = prev[lb];
    free(prev);
    free(cur);
    return d;
}

static const char *last_part(const char *p)
{
    const char *d = strrchr(p, '.');
    return d ? d + 1 : p;
}

/* The nearest key path of the schema to `key`: the closest full path within a quarter of its
 * length (at least 3 edits), else the one field whose last part matches key's last part. */
static const char *nearest_key(const char *key)
{
    int best = 999;
    const char *found = NULL;
    for (int i = 0; i < xb_nl_nfields; i++) {
        int d = edit_distance(key, xb_nl_fields[i].path);
        if (d < best) {
            best = d;
            found = xb_nl_fields[i].path;
        }
    }
    int limit = (int)strlen(key) / 4;
    if (limit < 3) limit = 3;
    if (found && best <= limit) return found;
    found = NULL;
    int matches = 0;
    for (int i = 0; i < xb_nl_nfields; i++) {
        const char *lp = last_part(xb_nl_fields[i].path);
        if (edit_distance(lp, last_part(key)) <= 1) {
            found = xb_nl_fields[i].path;
            matches++;
        }
    }
    return matches == 1 ? found : NULL;
}

static const char *const top_keys[] = {"name",  "base",     "set",       "grid",        "zip",
                                       "seeds", "accuracy", "reference", "description", NULL};
static const char *const ref_keys[] = {"source", "by", "tolerance", "figures", "values", NULL};

static const char *nearest_word(const char *w, const char *const *words)
{
    int best = 3;
    const char *found = NULL;
    for (int i = 0; words[i]; i++) {
        int d = edit_distance(w, words[i]);
        if (d < best) {
            best = d;
            found = words[i];
        }
    }
    return found;
}

/* Is `path` a proper prefix (section) of a schema path? */
static int is_section(const char *path)
{
    size_t n = strlen(path);
    for (int i = 0; i < xb_nl_nfields; i++)
        if (!strncmp(xb_nl_fields[i].path, path, n) && xb_nl_fields[i].path[n] == '.') return 1;
    return 0;
}

/* A key of set, grid or zip: a schema path (or base, when it may be swept). */
static int check_key(reader_t *r, const yaml_node_t *k, int sweepable)
{
    char cb[XB_NL_CLIP];
    if (k->type != YAML_SCALAR_NODE) return at(r, k, "a key must be a key path, got %s", kind(k));
    const char *p = scalar(k);
    if (!strcmp(p, "base")) {
        if (sweepable) return XB_OK;
        return at(r, k, "base is given at the top level (base: FILE) or swept in grid or zip");
    }
    if (!strcmp(p, "protocol.seed"))
        return at(r, k, "protocol.seed is given by `seeds` (a count or a list)");
    if (strlen(p) >= XB_STUDY_KEY_MAX)
        return at(r, k, "unknown netlist key '%s'", xb_nl_clip(p, cb));
    if (xb_nl_field_find(xb_nl_fields, xb_nl_nfields, p) >= 0) return XB_OK;
    if (!strncmp(p, "chip.device.", 12)) { /* one key of the device (over its preset) */
        if (xb_nl_field_find(xb_nl_device_fields, xb_nl_ndevfields, p + 12) >= 0) return XB_OK;
        return at(r, k, "unknown device key '%s' (see `xbarsim schema`)", xb_nl_clip(p, cb));
    }
    if (is_section(p)) {
        for (int i = 0; i < xb_nl_nfields; i++)
            if (!strncmp(xb_nl_fields[i].path, p, strlen(p)))
                return at(r, k, "'%s' is a section: give a key path such as %s", xb_nl_clip(p, cb),
                          xb_nl_fields[i].path);
    }
    const char *near = nearest_key(p);
    if (near)
        return at(r, k, "unknown netlist key '%s'; did you mean '%s'?", xb_nl_clip(p, cb), near);
    return at(r, k, "unknown netlist key '%s' (see `xbarsim schema`)", xb_nl_clip(p, cb));
}

/* ---------------------------------------------------------------- values */

typedef xb_sbuf_t sbuf_t;
/* A node as YAML flow text that the netlist's --set reads as the same value: plain scalars as
 * written, quoted ones double-quoted (escaped), explicit tags kept. */
static void render(reader_t *r, const yaml_node_t *n, sbuf_t *out)
{
    if (n->type == YAML_SCALAR_NODE) {
        xb_nl_tag_t tag = xb_nl_doc_tag(&r->doc, n);
        if (tag != XB_NL_UNTAGGED) xb_sbuf_put(out, "%s ", xb_nl_tag_name(tag));
        if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
            xb_sbuf_put(out, "%s", scalar(n));
            return;
        }
        xb_sbuf_put(out, "\"");
        for (const unsigned char *p = (const unsigned char *)scalar(n); *p; p++) {
            if (*p == '"' || *p == '\\')
                xb_sbuf_put(out, "\\%c", *p);
            else if (*p < 0x20 || *p == 0x7f)
                xb_sbuf_put(out, "\\x%02x", *p);
            else
                xb_sbuf_put(out, "%c", *p);
        }
        xb_sbuf_put(out, "\"");
    } else if (n->type == YAML_SEQUENCE_NODE) {
        xb_sbuf_put(out, "[");
        for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
             it++) {
            xb_sbuf_put(out, "%s", it == n->data.sequence.items.start ? "" : ", ");
            render(r, node(r, *it), out);
        }
        xb_sbuf_put(out, "]");
    } else {
        xb_sbuf_put(out, "{");
        for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
             p++) {
            xb_sbuf_put(out, "%s", p == n->data.mapping.pairs.start ? "" : ", ");
            render(r, node(r, p->key), out);
            xb_sbuf_put(out, ": ");
            render(r, node(r, p->value), out);
        }
        xb_sbuf_put(out, "}");
    }
}

static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

/* The file name of a path without its directory and .yaml / .yml. */
static void stem(const char *path, char *out, size_t size)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    size_t n = strlen(b);
    if (n > 5 && !strcmp(b + n - 5, ".yaml"))
        n -= 5;
    else if (n > 4 && !strcmp(b + n - 4, ".yml"))
        n -= 4;
    snprintf(out, size, "%.*s", (int)n, b);
}

static int set_value(reader_t *r, xb_study_value_t *v, const yaml_node_t *n, int is_base)
{
    v->line = (int)n->start_mark.line + 1;
    v->col = (int)n->start_mark.column + 1;
    if (is_base) {
        if (n->type != YAML_SCALAR_NODE || !*scalar(n))
            return at(r, n, "base: expected a netlist file name, got %s", kind(n));
        const char *p = scalar(n);
        char full[2 * XB_PATH_MAX + 2], lab[XB_PATH_MAX];
        if (strlen(p) + strlen(r->s->dir) + 2 >= XB_PATH_MAX)
            return at(r, n, "base: path too long");
        snprintf(full, sizeof full, "%s%s%s", p[0] == '/' ? "" : r->s->dir, p[0] == '/' ? "" : "/",
                 p);
        stem(p, lab, sizeof lab);
        v->text = dupstr(full);
        v->label = dupstr(lab);
    } else {
        sbuf_t b = {0};
        render(r, n, &b);
        if (b.oom || !b.b) {
            free(b.b);
            return xb_error_set(r->err, XB_ENOMEM, "out of memory");
        }
        v->text = b.b;
        v->label = dupstr(n->type == YAML_SCALAR_NODE ? scalar(n) : b.b);
    }
    if (!v->text || !v->label) return xb_error_set(r->err, XB_ENOMEM, "out of memory");
    return XB_OK;
}

/* A new key; a path given before (in set, grid or zip) is a duplicate. */
static int add_key(reader_t *r, const yaml_node_t *k, int axis, int nvalues, xb_study_key_t **out)
{
    xb_study_t *s = r->s;
    for (int i = 0; i < s->nkeys; i++)
        if (!strcmp(s->keys[i].path, scalar(k)))
            return at(r, k, "duplicate key '%s' (first given at %d:%d)", scalar(k), s->keys[i].line,
                      s->keys[i].col);
    if (s->nkeys == XB_STUDY_MAX_KEYS) return at(r, k, "more than %d keys", XB_STUDY_MAX_KEYS);
    xb_study_key_t *key = &s->keys[s->nkeys++];
    memset(key, 0, sizeof *key);
    snprintf(key->path, sizeof key->path, "%s", scalar(k));
    key->line = (int)k->start_mark.line + 1;
    key->col = (int)k->start_mark.column + 1;
    key->axis = axis;
    key->values = calloc((size_t)nvalues, sizeof *key->values);
    if (!key->values) return xb_error_set(r->err, XB_ENOMEM, "out of memory");
    key->nvalues = nvalues;
    *out = key;
    return XB_OK;
}

static int read_set(reader_t *r, const yaml_node_t *m)
{
    if (m->type != YAML_MAPPING_NODE)
        return at(r, m, "set: expected a mapping of key paths to values, got %s", kind(m));
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node(r, p->key), *v = node(r, p->value);
        xb_study_key_t *key;
        int rc = check_key(r, k, 0);
        if (rc == XB_OK) rc = add_key(r, k, -1, 1, &key);
        if (rc == XB_OK) rc = set_value(r, &key->values[0], v, 0);
        if (rc != XB_OK) return rc;
        r->s->nset++;
    }
    return XB_OK;
}

/* A swept key's list of values. */
static int read_list(reader_t *r, const yaml_node_t *k, const yaml_node_t *list, int axis,
                     xb_study_key_t **out)
{
    int rc = check_key(r, k, 1);
    if (rc != XB_OK) return rc;
    if (list->type != YAML_SEQUENCE_NODE)
        return at(r, list, "%s: expected a list of values, got %s", scalar(k), kind(list));
    int n = (int)(list->data.sequence.items.top - list->data.sequence.items.start);
    if (n == 0) return at(r, list, "%s: the list of values is empty", scalar(k));
    xb_study_key_t *key;
    rc = add_key(r, k, axis, n, &key);
    for (int i = 0; rc == XB_OK && i < n; i++)
        rc = set_value(r, &key->values[i], node(r, list->data.sequence.items.start[i]),
                       !strcmp(key->path, "base"));
    *out = key;
    return rc;
}

static int read_grid(reader_t *r, const yaml_node_t *m)
{
    if (m->type != YAML_MAPPING_NODE)
        return at(r, m, "grid: expected a mapping of key paths to lists, got %s", kind(m));
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
        xb_study_key_t *key;
        int rc = read_list(r, node(r, p->key), node(r, p->value), r->s->naxes, &key);
        if (rc != XB_OK) return rc;
        r->s->axis_len[r->s->naxes++] = key->nvalues;
    }
    return XB_OK;
}

static int read_zip(reader_t *r, const yaml_node_t *seq)
{
    if (seq->type != YAML_SEQUENCE_NODE)
        return at(r, seq, "zip: expected a list of groups (mappings of key paths to lists), got %s",
                  kind(seq));
    for (yaml_node_item_t *it = seq->data.sequence.items.start; it < seq->data.sequence.items.top;
         it++) {
        yaml_node_t *g = node(r, *it);
        if (g->type != YAML_MAPPING_NODE ||
            g->data.mapping.pairs.top == g->data.mapping.pairs.start)
            return at(r, g, "zip: a group is a mapping of key paths to lists of equal length");
        int len = -1, axis = r->s->naxes;
        const xb_study_key_t *first = NULL;
        for (yaml_node_pair_t *p = g->data.mapping.pairs.start; p < g->data.mapping.pairs.top;
             p++) {
            xb_study_key_t *key;
            int rc = read_list(r, node(r, p->key), node(r, p->value), axis, &key);
            if (rc != XB_OK) return rc;
            if (len >= 0 && key->nvalues != len)
                return at(r, node(r, p->value),
                          "zip: %s has %d values, but %s in the same group has %d", key->path,
                          key->nvalues, first->path, len);
            if (len < 0) first = key;
            len = key->nvalues;
        }
        r->s->axis_len[r->s->naxes++] = len;
    }
    return XB_OK;
}

static int read_seeds(reader_t *r, const yaml_node_t *n)
{
    xb_study_t *s = r->s;
    if (n->type == YAML_SCALAR_NODE) {
        char *end;
        long c = strtol(scalar(n), &end, 10);
        if (!*scalar(n) || *end || c < 1 || c > XB_STUDY_MAX_SEEDS ||
            n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
            return at(r, n, "seeds: expected a count in [1, %d] or a list of seeds, got '%s'",
                      XB_STUDY_MAX_SEEDS, scalar(n));
        s->seeds = malloc(sizeof(uint64_t) * (size_t)c);
        if (!s->seeds) return xb_error_set(r->err, XB_ENOMEM, "out of memory");
        for (long i = 0; i < c; i++)
            s->seeds[i] = (uint64_t)i + 1;
        s->nseeds = (int)c;
        return XB_OK;
    }
    if (n->type != YAML_SEQUENCE_NODE)
        return at(r, n, "seeds: expected a count or a list of seeds, got %s", kind(n));
    int c = (int)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (c < 1 || c > XB_STUDY_MAX_SEEDS)
        return at(r, n, "seeds: between 1 and %d seeds, got %d", XB_STUDY_MAX_SEEDS, c);
    s->seeds = malloc(sizeof(uint64_t) * (size_t)c);
    if (!s->seeds) return xb_error_set(r->err, XB_ENOMEM, "out of memory");
    for (int i = 0; i < c; i++) {
        yaml_node_t *v = node(r, n->data.sequence.items.start[i]);
        char *end;
        const char *t = v->type == YAML_SCALAR_NODE ? scalar(v) : "";
        unsigned long long x = strtoull(t, &end, 10);
        if (v->type != YAML_SCALAR_NODE || !isdigit((unsigned char)t[0]) || *end ||
            v->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
            return at(r, v, "seeds: expected a non-negative integer, got %s",
                      v->type == YAML_SCALAR_NODE ? t : kind(v));
        for (int j = 0; j < i; j++)
            if (s->seeds[j] == x) return at(r, v, "seeds: seed %llu is listed twice", x);
        s->seeds[i] = x;
    }
    s->nseeds = c;
    return XB_OK;
}

static int plain_string(reader_t *r, const yaml_node_t *n, const char *what, char *out, size_t size)
{
    if (n->type != YAML_SCALAR_NODE)
        return at(r, n, "%s: expected a string, got %s", what, kind(n));
    if (strlen(scalar(n)) >= size)
        return at(r, n, "%s: longer than %zu characters", what, size - 1);
    snprintf(out, size, "%s", scalar(n));
    return XB_OK;
}

static int figure_name(reader_t *r, const yaml_node_t *n, const char *what, int want_accuracy,
                       char *out, size_t size)
{
    int rc = plain_string(r, n, what, out, size);
    if (rc != XB_OK) return rc;
    int f = xb_study_figure_find(out);
    if (f < 0 || (want_accuracy && !xb_study_figures[f].accuracy)) {
        char list[600] = "";
        for (int i = 0; i < xb_study_nfigures; i++)
            if (!want_accuracy || xb_study_figures[i].accuracy)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", *list ? ", " : "",
                         xb_study_figures[i].name);
        return at(r, n, "%s: unknown %s '%s' (one of: %s)", what,
                  want_accuracy ? "accuracy" : "figure", out, list);
    }
    return XB_OK;
}

static int read_number(reader_t *r, const yaml_node_t *n, const char *what, double *x)
{
    char *end;
    if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return at(r, n, "%s: expected a number", what);
    *x = strtod(scalar(n), &end);
    if (!*scalar(n) || *end || !isfinite(*x))
        return at(r, n, "%s: expected a number, got '%s'", what, scalar(n));
    return XB_OK;
}

static int read_reference(reader_t *r, const yaml_node_t *m)
{
    xb_study_t *s = r->s;
    if (m->type != YAML_MAPPING_NODE)
        return at(r, m, "reference: expected a mapping, got %s", kind(m));
    const yaml_node_t *by = NULL, *values = NULL, *figures = NULL;
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node(r, p->key), *v = node(r, p->value);
        const char *key = k->type == YAML_SCALAR_NODE ? scalar(k) : "";
        int rc = XB_OK;
        if (!strcmp(key, "source"))
            rc = plain_string(r, v, "reference.source", s->ref_source, sizeof s->ref_source);
        else if (!strcmp(key, "tolerance"))
            rc = read_number(r, v, "reference.tolerance", &s->ref_tol);
        else if (!strcmp(key, "by"))
            by = v;
        else if (!strcmp(key, "figures"))
            figures = v;
        else if (!strcmp(key, "values"))
            values = v;
        else {
            const char *near = nearest_word(key, ref_keys);
            return near ? at(r, k, "unknown key '%s' in reference; did you mean '%s'?", key, near)
                        : at(r, k,
                             "unknown key '%s' in reference (source, by, tolerance, figures, "
                             "values)",
                             key);
        }
        if (rc != XB_OK) return rc;
    }
    if (!by || !figures || !values)
        return at(r, m, "reference: needs by (a swept key), figures and values");
    if (by->type != YAML_SCALAR_NODE) return at(r, by, "reference.by: expected a swept key");
    s->ref_by = -1;
    for (int i = 0; i < s->nkeys - s->nset; i++)
        if (!strcmp(xb_study_swept_k(s, i)->path, scalar(by))) s->ref_by = i;
    if (s->ref_by < 0) return at(r, by, "reference.by: '%s' is not a swept key", scalar(by));
    const xb_study_key_t *bk = xb_study_swept_k(s, s->ref_by);
    if (figures->type != YAML_MAPPING_NODE)
        return at(r, figures, "reference.figures: expected a mapping of names to figures");
    for (yaml_node_pair_t *p = figures->data.mapping.pairs.start;
         p < figures->data.mapping.pairs.top; p++) {
        if (s->nrefs == XB_STUDY_MAX_REF)
            return at(r, node(r, p->key), "too many reference figures");
        xb_study_ref_t *f = &s->refs[s->nrefs++];
        int rc = plain_string(r, node(r, p->key), "reference.figures", f->name, sizeof f->name);
        if (rc == XB_OK)
            rc = figure_name(r, node(r, p->value), "reference.figures", 0, f->figure,
                             sizeof f->figure);
        f->labels = calloc((size_t)bk->nvalues, sizeof *f->labels);
        f->mean = calloc((size_t)bk->nvalues, sizeof *f->mean);
        f->std = calloc((size_t)bk->nvalues, sizeof *f->std);
        if (rc == XB_OK && (!f->labels || !f->mean || !f->std))
            rc = xb_error_set(r->err, XB_ENOMEM, "out of memory");
        if (rc != XB_OK) return rc;
    }
    if (values->type != YAML_MAPPING_NODE)
        return at(r, values, "reference.values: expected a mapping of %s values to figures",
                  bk->path);
    for (yaml_node_pair_t *p = values->data.mapping.pairs.start; p < values->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = node(r, p->key), *row = node(r, p->value);
        const char *label = k->type == YAML_SCALAR_NODE ? scalar(k) : "";
        int found = -1;
        for (int v = 0; v < bk->nvalues; v++)
            if (!strcmp(bk->values[v].label, label)) found = v;
        if (found < 0)
            return at(r, k, "reference.values: '%s' is not a value of %s", label, bk->path);
        if (row->type != YAML_MAPPING_NODE)
            return at(r, row, "reference.values.%s: expected {figure: [mean, std]}", label);
        for (yaml_node_pair_t *q = row->data.mapping.pairs.start; q < row->data.mapping.pairs.top;
             q++) {
            yaml_node_t *fk = node(r, q->key), *pair = node(r, q->value);
            int f = -1;
            for (int i = 0; i < s->nrefs; i++)
                if (fk->type == YAML_SCALAR_NODE && !strcmp(s->refs[i].name, scalar(fk))) f = i;
            if (f < 0)
                return at(r, fk, "reference.values.%s: '%s' is not one of reference.figures", label,
                          fk->type == YAML_SCALAR_NODE ? scalar(fk) : "?");
            if (pair->type != YAML_SEQUENCE_NODE ||
                pair->data.sequence.items.top - pair->data.sequence.items.start != 2)
                return at(r, pair, "reference.values.%s.%s: expected [mean, std]", label,
                          s->refs[f].name);
            xb_study_ref_t *rf = &s->refs[f];
            int slot = rf->nrows++;
            rf->labels[slot] = dupstr(label);
            int rc = read_number(r, node(r, pair->data.sequence.items.start[0]), "reference mean",
                                 &rf->mean[slot]);
            if (rc == XB_OK)
                rc = read_number(r, node(r, pair->data.sequence.items.start[1]), "reference std",
                                 &rf->std[slot]);
            if (rc != XB_OK) return rc;
        }
    }
    return XB_OK;
}

/* ---------------------------------------------------------------- the file */

static int name_ok(const char *n)
{
    size_t len = strlen(n);
    if (len < 1 || len >= XB_NAME_MAX || n[0] == '.' || n[0] == '-') return 0;
    for (const char *p = n; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("._+-", *p)) return 0;
    return 1;
}

static int read_root(reader_t *r, const yaml_node_t *root)
{
    xb_study_t *s = r->s;
    const yaml_node_t *seen[9] = {0}, *grid = NULL, *zip = NULL, *seeds = NULL, *ref = NULL;
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = node(r, p->key), *v = node(r, p->value);
        if (k->type != YAML_SCALAR_NODE) return at(r, k, "a key must be a name, got %s", kind(k));
        int t = -1;
        for (int i = 0; top_keys[i]; i++)
            if (!strcmp(top_keys[i], scalar(k))) t = i;
        if (t < 0) {
            char cb[XB_NL_CLIP];
            const char *near = nearest_word(scalar(k), top_keys);
            if (!near && xb_nl_field_find(xb_nl_fields, xb_nl_nfields, scalar(k)) >= 0)
                return at(r, k,
                          "unknown top-level key '%s': netlist keys go under set, grid or zip",
                          xb_nl_clip(scalar(k), cb));
            if (near)
                return at(r, k, "unknown top-level key '%s'; did you mean '%s'?",
                          xb_nl_clip(scalar(k), cb), near);
            return at(r, k,
                      "unknown top-level key '%s' (a study has name, base, set, grid, zip, seeds, "
                      "accuracy, reference, description)",
                      xb_nl_clip(scalar(k), cb));
        }
        if (seen[t])
            return at(r, k, "duplicate key '%s' (first given at %d:%d)", top_keys[t],
                      (int)seen[t]->start_mark.line + 1, (int)seen[t]->start_mark.column + 1);
        seen[t] = k;
        int rc = XB_OK;
        switch (t) {
        case 0:
            rc = plain_string(r, v, "name", s->name, sizeof s->name);
            if (rc == XB_OK && !name_ok(s->name))
                rc = at(r, v,
                        "name: '%s' must be 1 to 63 of A-Z a-z 0-9 . _ + -, not starting with . "
                        "or -",
                        s->name);
            break;
        case 1: {
            xb_study_value_t bv = {0};
            rc = set_value(r, &bv, v, 1);
            if (rc == XB_OK) {
                snprintf(s->base, sizeof s->base, "%s", bv.text);
                s->base_line = bv.line;
                s->base_col = bv.col;
            }
            free(bv.text);
            free(bv.label);
            break;
        }
        case 2:
            rc = read_set(r, v);
            break;
        case 3:
            grid = v;
            break;
        case 4:
            zip = v;
            break;
        case 5:
            seeds = v;
            break;
        case 6:
            rc = figure_name(r, v, "accuracy", 1, s->accuracy, sizeof s->accuracy);
            break;
        case 7:
            ref = v;
            break;
        default: /* description: free text */
            if (v->type != YAML_SCALAR_NODE) rc = at(r, v, "description: expected a string");
            break;
        }
        if (rc != XB_OK) return rc;
    }
    /* swept keys after the set keys: grid, then zip (their order is the product's) */
    int rc = XB_OK;
    if (grid) rc = read_grid(r, grid);
    if (rc == XB_OK && zip) rc = read_zip(r, zip);
    if (rc == XB_OK && seeds) rc = read_seeds(r, seeds);
    if (rc == XB_OK && !seeds) {
        s->seeds = malloc(sizeof(uint64_t));
        if (!s->seeds) return xb_error_set(r->err, XB_ENOMEM, "out of memory");
        s->seeds[0] = 1;
        s->nseeds = 1;
    }
    if (rc == XB_OK && ref) rc = read_reference(r, ref);
    if (rc == XB_OK && s->base[0]) {
        for (int i = s->nset; i < s->nkeys; i++)
            if (!strcmp(s->keys[i].path, "base"))
                return xb_error_at(r->err, XB_EINVAL, s->path, s->keys[i].line, s->keys[i].col,
                                   "base is swept here and also given at %d:%d", s->base_line,
                                   s->base_col);
    }
    return rc;
}

/* Short names of the swept keys: the last part of the path, or more of it where two swept keys
 * would share a name. */
static void short_names(xb_study_t *s)
{
    for (int i = s->nset; i < s->nkeys; i++) {
        xb_study_key_t *k = &s->keys[i];
        for (int parts = 1; parts < 8; parts++) {
            const char *p = k->path + strlen(k->path);
            int seen = 0;
            while (p > k->path && seen < parts)
                if (*--p == '.') seen++;
            if (*p == '.') p++;
            snprintf(k->short_name, sizeof k->short_name, "%s", p);
            int clash = 0;
            for (int j = s->nset; j < s->nkeys; j++) {
                if (j == i) continue;
                const char *q = s->keys[j].path;
                size_t n = strlen(k->short_name), m = strlen(q);
                if (m >= n && !strcmp(q + m - n, k->short_name) && (m == n || q[m - n - 1] == '.'))
                    clash = 1;
            }
            if (!clash || p == k->path) break;
        }
    }
}

int xb_study_load(const char *path, xb_study_t **out, xb_error_t *err)
{
    *out = NULL;
    xb_study_t *s = calloc(1, sizeof *s);
    if (!s) return xb_error_set(err, XB_ENOMEM, "out of memory");
    s->ref_by = -1;
    s->ref_tol = 2;
    snprintf(s->accuracy, sizeof s->accuracy, "best_voting");
    snprintf(s->path, sizeof s->path, "%s", path);
    const char *slash = strrchr(path, '/');
    if (slash)
        snprintf(s->dir, sizeof s->dir, "%.*s", (int)(slash - path), path);
    else
        snprintf(s->dir, sizeof s->dir, ".");
    if (!s->dir[0]) snprintf(s->dir, sizeof s->dir, "/");
    reader_t r;
    memset(&r, 0, sizeof r);
    r.s = s;
    r.err = err;
    int rc = xb_read_regular(path, STUDY_MAX_BYTES, &s->text, &s->text_len, err);
    if (rc != XB_OK) goto fail;
    xb_nl_problem_t pb;
    rc = xb_nl_doc_load(&r.doc, s->text, s->text_len, &pb);
    if (rc != XB_OK) {
        if (rc == XB_ENOMEM)
            xb_error_set(err, rc, "%s", pb.msg);
        else
            xb_error_at(err, rc, path, pb.line, pb.col, "%s", pb.msg);
        goto fail;
    }
    yaml_node_t *root = yaml_document_get_root_node(&r.doc.doc);
    if (!root || root->type != YAML_MAPPING_NODE)
        rc = xb_error_at(err, XB_EINVAL, path, root ? (int)root->start_mark.line + 1 : 1,
                         root ? (int)root->start_mark.column + 1 : 1,
                         "a study must be a mapping (name, base, set, grid, zip, seeds)");
    else
        rc = read_root(&r, root);
    xb_nl_doc_delete(&r.doc);
    if (rc != XB_OK) goto fail;
    if (!s->name[0]) { /* the file name up to its first '.', as netlists are named */
        const char *b = slash ? slash + 1 : path;
        size_t n = 0;
        for (; b[n] && b[n] != '.' && n + 1 < sizeof s->name; n++)
            s->name[n] = (isalnum((unsigned char)b[n]) || strchr("_+-", b[n])) ? b[n] : '_';
        s->name[n] = 0;
        if (!n || s->name[0] == '-') snprintf(s->name, sizeof s->name, "study");
    }
    short_names(s);
    *out = s;
    return XB_OK;
fail:
    xb_study_destroy(s);
    return rc;
}

void xb_study_destroy(xb_study_t *s)
{
    if (!s) return;
    for (int i = 0; i < s->nkeys; i++) {
        for (int v = 0; v < s->keys[i].nvalues; v++) {
            free(s->keys[i].values[v].text);
            free(s->keys[i].values[v].label);
        }
        free(s->keys[i].values);
    }
    for (int f = 0; f < s->nrefs; f++) {
        for (int i = 0; i < s->refs[f].nrows; i++)
            free(s->refs[f].labels[i]);
        free(s->refs[f].labels);
        free(s->refs[f].mean);
        free(s->refs[f].std);
    }
    for (int p = 0; p < s->npoints; p++) {
        free(s->points[p].choice);
        free(s->points[p].nl);
        free(s->points[p].yaml);
    }
    free(s->points);
    free(s->seeds);
    free(s->text);
    free(s);
}

/* ---------------------------------------------------------------- accessors */

const char *xb_study_name(const xb_study_t *s)
{
    return s->name;
}

const char *xb_study_path(const xb_study_t *s)
{
    return s->path;
}

int xb_study_seeds(const xb_study_t *s)
{
    return s->nseeds;
}

uint64_t xb_study_seed(const xb_study_t *s, int k)
{
    return s->seeds[k];
}

int xb_study_swept(const xb_study_t *s)
{
    return s->nkeys - s->nset;
}

const char *xb_study_swept_key(const xb_study_t *s, int i)
{
    return xb_study_swept_k(s, i)->path;
}

const char *xb_study_accuracy(const xb_study_t *s)
{
    return s->accuracy;
}

int xb_study_ref_figures(const xb_study_t *s)
{
    return s->nrefs;
}

const char *xb_study_ref_name(const xb_study_t *s, int f)
{
    return s->refs[f].name;
}

const char *xb_study_ref_figure(const xb_study_t *s, int f)
{
    return s->refs[f].figure;
}

const char *xb_study_ref_source(const xb_study_t *s)
{
    return s->ref_source;
}

double xb_study_ref_tolerance(const xb_study_t *s)
{
    return s->ref_tol;
}

int xb_study_ref_by(const xb_study_t *s)
{
    return s->ref_by;
}
