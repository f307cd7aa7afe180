/* xbarsim studies: the points of a study (sim/study.h): the product of the swept keys, each
 * point's id and resolved netlist, all validated before anything runs. */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/netlist_fields.h"
#include "sim/study_impl.h"

/* ---------------------------------------------------------------- names */

int xb_study_safe(const char *s, char *out, size_t size)
{
    int changed = 0;
    size_t n = 0;
    for (const char *p = s; *p && n + 1 < size; p++) {
        char c = *p;
        int ok = isalnum((unsigned char)c) || strchr("._+-", c);
        out[n++] = ok ? c : '_';
        changed |= !ok;
    }
    out[n] = 0;
    return changed || strlen(s) >= size;
}

void xb_study_quote(const char *s, char *out, size_t size)
{
    snprintf(out, size, "%s", s);
}

static uint32_t fnv1a(const char *s, uint32_t h)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h;
}

/* The point's id from its swept values: "<short>-<label>" per key ("<label>" for a base),
 * joined by "_"; "base" with nothing swept. Labels that are not file-name safe, or an id
 * longer than the limit, get a hash of the values so the id stays unique and stable. */
static void point_id(const xb_study_t *s, const int *choice, char *id, size_t size)
{
    char buf[1024] = "";
    int lossy = 0;
    uint32_t h = 2166136261u;
    for (int i = 0; i < xb_study_swept(s); i++) {
        const xb_study_key_t *k = xb_study_swept_k(s, i);
        const xb_study_value_t *v = &k->values[choice[k->axis]];
        char safe[256];
        lossy |= xb_study_safe(v->label, safe, sizeof safe);
        h = fnv1a(k->path, fnv1a(v->text, h));
        size_t n = strlen(buf);
        if (!strcmp(k->path, "base"))
            snprintf(buf + n, sizeof buf - n, "%s%s", n ? "_" : "", safe);
        else
            snprintf(buf + n, sizeof buf - n, "%s%s-%s", n ? "_" : "", k->short_name, safe);
    }
    if (!buf[0]) snprintf(buf, sizeof buf, "base");
    if (buf[0] == '.' || buf[0] == '-') lossy = 1, buf[0] = '_';
    if (lossy || strlen(buf) + 1 > size)
        snprintf(id, size, "%.*s-h%08x", (int)(size - 11), buf, h);
    else
        snprintf(id, size, "%s", buf);
}

/* ---------------------------------------------------------------- the resolved netlist */

typedef xb_sbuf_t sb_t;

void xb_sbuf_put(xb_sbuf_t *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || s->oom) return;
    if (s->n + (size_t)n + 1 > s->cap) {
        size_t cap = (s->cap ? 2 * s->cap : 256) + (size_t)n;
        char *b = realloc(s->b, cap);
        if (!b) {
            s->oom = 1;
            return;
        }
        s->b = b;
        s->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(s->b + s->n, s->cap - s->n, fmt, ap);
    va_end(ap);
    s->n += (size_t)n;
}

/* The shortest decimal that reads back as x. */
static void put_double(sb_t *s, double x)
{
    char b[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(b, sizeof b, "%.*g", prec, x);
        if (strtod(b, NULL) == x) break;
    }
    xb_sbuf_put(s, "%s", b);
}

static void put_quoted(sb_t *s, const char *v)
{
    xb_sbuf_put(s, "\"");
    for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
        if (*p == '"' || *p == '\\')
            xb_sbuf_put(s, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f)
            xb_sbuf_put(s, "\\x%02x", *p);
        else
            xb_sbuf_put(s, "%c", *p);
    }
    xb_sbuf_put(s, "\"");
}

static int same_field(const field_t *f, const void *a, const void *b)
{
    const char *x = (const char *)a + f->off, *y = (const char *)b + f->off;
    switch (f->type) {
    case F_INT:
    case F_INT_AUTO:
    case F_ENUM:
    case F_TRISTATE:
        return *(const int *)x == *(const int *)y;
    case F_DOUBLE:
    case F_DOUBLE_AUTO:
        return *(const double *)x == *(const double *)y;
    case F_U64:
        return *(const uint64_t *)x == *(const uint64_t *)y;
    case F_NAME:
    case F_CHOICE:
        return !strncmp(x, y, XB_NAME_MAX);
    case F_PATH:
        return !strncmp(x, y, XB_PATH_MAX);
    case F_READOUTS:
        return *(const unsigned *)x == *(const unsigned *)y;
    case F_DOUBLES:
    case F_CHOICES: {
        const xb_nl_doubles_t *a = (const xb_nl_doubles_t *)x, *b = (const xb_nl_doubles_t *)y;
        if (a->n != b->n) return 0;
        for (int i = 0; i < a->n; i++)
            if (a->v[i] != b->v[i]) return 0;
        return 1;
    }
    case F_DEVICE:
        for (int i = 0; i < xb_nl_ndevfields; i++)
            if (!same_field(&xb_nl_device_fields[i], x, y)) return 0;
        return !strcmp(((const xb_device_params_t *)x)->name,
                       ((const xb_device_params_t *)y)->name);
    }
    return 0;
}

/* One value of field f as YAML; 0 when the type is unknown here. */
static int put_value(sb_t *s, const field_t *f, const void *base)
{
    const char *p = (const char *)base + f->off;
    switch (f->type) {
    case F_INT:
    case F_INT_AUTO:
        xb_sbuf_put(s, "%d", *(const int *)p);
        return 1;
    case F_DOUBLE:
    case F_DOUBLE_AUTO:
        if (f->type == F_DOUBLE_AUTO && *(const double *)p < 0)
            xb_sbuf_put(s, "auto");
        else
            put_double(s, *(const double *)p);
        return 1;
    case F_U64:
        xb_sbuf_put(s, "%llu", (unsigned long long)*(const uint64_t *)p);
        return 1;
    case F_NAME:
    case F_CHOICE:
        put_quoted(s, p);
        return 1;
    case F_ENUM:
        xb_sbuf_put(s, "%s", f->names[*(const int *)p]);
        return 1;
    case F_TRISTATE: {
        int v = *(const int *)p;
        xb_sbuf_put(s, "%s", v < 0 ? "auto" : v ? "true" : "false");
        return 1;
    }
    case F_PATH: {
        char abs[PATH_MAX + XB_PATH_MAX + 2], cwd[PATH_MAX];
        if (p[0] == '/' || !getcwd(cwd, sizeof cwd))
            snprintf(abs, sizeof abs, "%s", p);
        else
            snprintf(abs, sizeof abs, "%s/%s", cwd, p);
        put_quoted(s, abs);
        return 1;
    }
    case F_READOUTS: {
        unsigned bits = *(const unsigned *)p;
        xb_sbuf_put(s, "[");
        for (int k = 0, first = 1; f->names[k]; k++)
            if (bits & (1u << k)) {
                xb_sbuf_put(s, "%s%s", first ? "" : ", ", f->names[k]);
                first = 0;
            }
        xb_sbuf_put(s, "]");
        return 1;
    }
    case F_DOUBLES: {
        const xb_nl_doubles_t *a = (const xb_nl_doubles_t *)p;
        xb_sbuf_put(s, "[");
        for (int i = 0; i < a->n; i++) {
            if (i) xb_sbuf_put(s, ", ");
            put_double(s, a->v[i]);
        }
        xb_sbuf_put(s, "]");
        return 1;
    }
    case F_CHOICES: {
        const xb_nl_doubles_t *a = (const xb_nl_doubles_t *)p;
        xb_sbuf_put(s, "[");
        for (int i = 0; i < a->n; i++)
            xb_sbuf_put(s, "%s%s", i ? ", " : "", f->names[(int)a->v[i]]);
        xb_sbuf_put(s, "]");
        return 1;
    }
    case F_DEVICE: {
        const xb_device_params_t *d = (const xb_device_params_t *)p;
        const size_t n = strlen(d->name);
        const int changed = n > 1 && d->name[n - 1] == '+'; /* a preset with changes */
        xb_sbuf_put(s, "{");
        if (changed) xb_sbuf_put(s, "preset: %.*s, ", (int)n - 1, d->name);
        for (int i = 0; i < xb_nl_ndevfields; i++) {
            xb_sbuf_put(s, "%s%s: ", i ? ", " : "", xb_nl_device_fields[i].path);
            if (!put_value(s, &xb_nl_device_fields[i], d)) return 0;
        }
        xb_sbuf_put(s, "}");
        return 1;
    }
    }
    return 0;
}

/* Is the netlist's device its preset, unchanged? Then it is written by name. */
static int is_preset(const xb_netlist_t *nl)
{
    const char *name = nl->chip.device.name;
    if (!name[0] || !strcmp(name, "inline")) return 0;
    xb_netlist_t *tmp = malloc(sizeof *tmp);
    if (!tmp) return 0;
    *tmp = *nl;
    char set[XB_NAME_MAX + 16];
    snprintf(set, sizeof set, "chip.device=%s", name);
    xb_error_t e;
    int ok = xb_netlist_set(tmp, set, &e) == XB_OK;
    int fi = xb_nl_field_find(xb_nl_fields, xb_nl_nfields, "chip.device");
    ok = ok && same_field(&xb_nl_fields[fi], tmp, nl);
    free(tmp);
    return ok;
}

/* The YAML of nl (fields that differ from the schema's defaults), and whether it reads back
 * as nl. */
int xb_study_netlist_yaml(const xb_netlist_t *nl, char **yaml, xb_error_t *err)
{
    *yaml = NULL;
    xb_netlist_t *def = malloc(sizeof *def), *back = malloc(sizeof *back);
    sb_t s = {0};
    int rc = XB_OK;
    if (!def || !back) {
        rc = xb_error_set(err, XB_ENOMEM, "out of memory");
        goto out;
    }
    xb_netlist_defaults(def);
    int idx = !strcmp(nl->protocol.dataset, "idx");
    xb_sbuf_put(&s,
                "# resolved by xbarsim sweep: every key that differs from the schema's default\n");
    xb_sbuf_put(&s, "version: 1\n");
    for (int i = 0; i < xb_nl_nfields; i++) {
        const field_t *f = &xb_nl_fields[i];
        if (!strcmp(f->path, "version")) continue;
        if (f->type == F_PATH && (!idx || !((const char *)nl + f->off)[0])) continue;
        /* a value derived from "auto" depends on other fields (refrac on the layer type):
         * written as it was given, "auto" or the number, never left to the default */
        const int autoable = f->type == F_INT_AUTO || f->type == F_DOUBLE_AUTO;
        if (autoable && nl->marks[i].is_auto) {
            xb_sbuf_put(&s, "%s: auto\n", f->path);
            continue;
        }
        if (f->type != F_PATH && f->type != F_NAME && !autoable && same_field(f, nl, def)) continue;
        if (f->type == F_DEVICE && is_preset(nl)) {
            xb_sbuf_put(&s, "%s: %s\n", f->path, nl->chip.device.name);
            continue;
        }
        xb_sbuf_put(&s, "%s: ", f->path);
        if (!put_value(&s, f, nl)) {
            rc = xb_error_set(err, XB_ESTATE, "cannot write netlist field %s", f->path);
            goto out;
        }
        xb_sbuf_put(&s, "\n");
    }
    if (s.oom) {
        rc = xb_error_set(err, XB_ENOMEM, "out of memory");
        goto out;
    }
    /* it must read back as the same netlist (a field this writer misses would show here) */
    xb_error_t e;
    if (xb_netlist_load_string(back, s.b, s.n, "netlist.yaml", &e) != XB_OK) {
        rc = xb_error_set(err, XB_ESTATE, "the resolved netlist does not read back: %s", e.msg);
        goto out;
    }
    for (int i = 0; i < xb_nl_nfields; i++) {
        const field_t *f = &xb_nl_fields[i];
        if (f->type == F_PATH && idx) continue; /* written absolute */
        if (!same_field(f, nl, back)) {
            rc = xb_error_set(err, XB_ESTATE, "the resolved netlist reads back with another %s",
                              f->path);
            goto out;
        }
    }
    *yaml = s.b;
    s.b = NULL;
out:
    free(s.b);
    free(def);
    free(back);
    return rc;
}

/* ---------------------------------------------------------------- expansion */

/* A bad point's message and the points it hit. */
typedef struct problem {
    char msg[700];
    int first, count;
} problem_t;

/* Locates a --set error at the study value it came from. */
static void locate(const xb_study_t *s, const int *choice, const xb_error_t *e, const char *id,
                   char *out, size_t size)
{
    char msg[600];
    xb_error_format(e, msg, sizeof msg);
    if (strncmp(msg, "--set ", 6)) {
        snprintf(out, size, "%s: point %s: %s", s->path, id, msg);
        return;
    }
    const char *path = msg + 6;
    size_t plen = strcspn(path, ": ");
    const xb_study_value_t *best = NULL;
    size_t best_len = 0;
    for (int i = 0; i < s->nkeys; i++) {
        const xb_study_key_t *k = &s->keys[i];
        size_t kl = strlen(k->path);
        if (kl > plen || strncmp(path, k->path, kl) || (kl < plen && path[kl] != '.')) continue;
        if (kl > best_len) {
            best_len = kl;
            best = &k->values[k->axis < 0 ? 0 : choice[k->axis]];
        }
    }
    if (best)
        snprintf(out, size, "%s:%d:%d: point %s: %s", s->path, best->line, best->col, id, path);
    else
        snprintf(out, size, "%s: point %s: %s", s->path, id, path);
}

static int note_problem(problem_t **list, int *n, const char *msg, const char *id, int p)
{
    (void)id;
    for (int i = 0; i < *n; i++)
        if (!strcmp((*list)[i].msg, msg)) {
            (*list)[i].count++;
            return XB_OK;
        }
    problem_t *l = realloc(*list, sizeof *l * (size_t)(*n + 1));
    if (!l) return XB_ENOMEM;
    *list = l;
    snprintf(l[*n].msg, sizeof l[*n].msg, "%s", msg);
    l[*n].first = p;
    l[*n].count = 1;
    (*n)++;
    return XB_OK;
}

/* Loads the base netlist of a point: the study's base, or the point's swept base. */
static int load_base(const xb_study_t *s, const int *choice, xb_netlist_t *nl, xb_error_t *err)
{
    const char *path = s->base[0] ? s->base : NULL;
    int line = s->base_line, col = s->base_col;
    for (int i = s->nset; i < s->nkeys; i++)
        if (!strcmp(s->keys[i].path, "base")) {
            const xb_study_value_t *v = &s->keys[i].values[choice[s->keys[i].axis]];
            path = v->text;
            line = v->line;
            col = v->col;
        }
    if (!path) return xb_netlist_load_default(nl, err);
    xb_error_t e;
    int rc = xb_netlist_load_file(nl, path, &e);
    if (rc == XB_OK) return XB_OK;
    if (e.line > 0) { /* an error inside the netlist: its own file:line:col */
        *err = e;
        return rc;
    }
    char msg[600];
    xb_error_format(&e, msg, sizeof msg);
    return xb_error_at(err, rc, s->path, line, col, "base: %s", msg);
}

int xb_study_expand(xb_study_t *s, FILE *report, xb_error_t *err)
{
    long total = 1;
    for (int a = 0; a < s->naxes; a++) {
        total *= s->axis_len[a];
        if (total > XB_STUDY_MAX_POINTS)
            return xb_error_at(err, XB_EINVAL, s->path, 0, 0, "more than %d points",
                               XB_STUDY_MAX_POINTS);
    }
    if (total * s->nseeds > INT_MAX / 2)
        return xb_error_at(err, XB_EINVAL, s->path, 0, 0, "too many runs");
    s->points = calloc((size_t)total, sizeof *s->points);
    const char **sets = malloc(sizeof(char *) * (size_t)(s->nkeys + 1));
    char **owned = calloc((size_t)(s->nkeys + 1), sizeof(char *));
    problem_t *probs = NULL;
    int nprobs = 0, rc = XB_OK;
    if (!s->points || !sets || !owned) {
        rc = xb_error_set(err, XB_ENOMEM, "out of memory");
        goto out;
    }
    s->npoints = (int)total;
    for (int p = 0; p < s->npoints && rc == XB_OK; p++) {
        xb_study_point_t *pt = &s->points[p];
        pt->choice = calloc((size_t)(s->naxes + 1), sizeof(int));
        pt->nl = malloc(sizeof *pt->nl);
        if (!pt->choice || !pt->nl) {
            rc = xb_error_set(err, XB_ENOMEM, "out of memory");
            break;
        }
        for (int a = s->naxes - 1, rest = p; a >= 0; a--) { /* the first axis varies slowest */
            pt->choice[a] = rest % s->axis_len[a];
            rest /= s->axis_len[a];
        }
        point_id(s, pt->choice, pt->id, sizeof pt->id);
        xb_error_t e;
        char msg[700];
        int prc = load_base(s, pt->choice, pt->nl, &e);
        if (prc == XB_OK) {
            int n = 0;
            for (int i = 0; i < s->nkeys; i++) {
                const xb_study_key_t *k = &s->keys[i];
                if (!strcmp(k->path, "base")) continue;
                const xb_study_value_t *v = &k->values[k->axis < 0 ? 0 : pt->choice[k->axis]];
                size_t len = strlen(k->path) + strlen(v->text) + 2;
                free(owned[n]);
                owned[n] = malloc(len);
                if (!owned[n]) {
                    rc = xb_error_set(err, XB_ENOMEM, "out of memory");
                    break;
                }
                snprintf(owned[n], len, "%s=%s", k->path, v->text);
                sets[n] = owned[n];
                n++;
            }
            if (rc != XB_OK) break;
            prc = n ? xb_netlist_set_all(pt->nl, sets, n, &e) : XB_OK;
            if (prc != XB_OK) locate(s, pt->choice, &e, pt->id, msg, sizeof msg);
        } else if (prc != XB_ENOMEM) {
            char m[600];
            snprintf(msg, sizeof msg, "%s (point %s)", xb_error_format(&e, m, sizeof m), pt->id);
        }
        if (prc == XB_ENOMEM) {
            rc = xb_error_set(err, XB_ENOMEM, "out of memory");
            break;
        }
        if (prc == XB_OK) {
            prc = xb_study_netlist_yaml(pt->nl, &pt->yaml, &e);
            if (prc != XB_OK) {
                rc = xb_error_set(err, prc, "point %s: %s", pt->id, e.msg);
                break;
            }
            for (int q = 0; q < p; q++) {
                if (s->points[q].yaml && !strcmp(s->points[q].yaml, pt->yaml)) {
                    snprintf(msg, sizeof msg,
                             "%s: points %s and %s are the same netlist (duplicate points)",
                             s->path, s->points[q].id, pt->id);
                    prc = XB_EINVAL;
                    break;
                }
                if (!strcmp(s->points[q].id, pt->id)) {
                    snprintf(msg, sizeof msg, "%s: points %d and %d have the same id %s", s->path,
                             q, p, pt->id);
                    prc = XB_EINVAL;
                    break;
                }
            }
        }
        if (prc != XB_OK && note_problem(&probs, &nprobs, msg, pt->id, p) != XB_OK)
            rc = xb_error_set(err, XB_ENOMEM, "out of memory");
    }
    if (rc == XB_OK && nprobs > 0) {
        int bad = 0;
        for (int i = 0; i < nprobs; i++) {
            bad += probs[i].count;
            if (report && probs[i].count > 1)
                fprintf(report, "xbarsim: %s (and %d more points with this problem)\n",
                        probs[i].msg, probs[i].count - 1);
            else if (report)
                fprintf(report, "xbarsim: %s\n", probs[i].msg);
        }
        if (report)
            fprintf(report, "xbarsim: %s: %d of %d points are bad; nothing was run\n", s->path, bad,
                    s->npoints);
        rc = xb_error_set(err, XB_EINVAL, "%s", probs[0].msg);
    }
out:
    for (int i = 0; owned && i <= s->nkeys; i++)
        free(owned[i]);
    free(owned);
    free(sets);
    free(probs);
    return rc;
}

/* ---------------------------------------------------------------- accessors */

int xb_study_points(const xb_study_t *s)
{
    return s->npoints;
}

int xb_study_runs(const xb_study_t *s)
{
    return s->npoints * s->nseeds;
}

const char *xb_study_point_id(const xb_study_t *s, int p)
{
    return s->points[p].id;
}

void xb_study_run_of(const xb_study_t *s, int r, int *point, int *seed_index)
{
    *point = r % s->npoints;
    *seed_index = r / s->npoints;
}

const xb_netlist_t *xb_study_netlist(const xb_study_t *s, int p)
{
    return s->points[p].nl;
}

int xb_study_netlist_text(const xb_study_t *s, int p, int k, char **text, xb_error_t *err)
{
    xb_netlist_t *nl = malloc(sizeof *nl);
    if (!nl) return xb_error_set(err, XB_ENOMEM, "out of memory");
    *nl = *s->points[p].nl;
    char set[64];
    snprintf(set, sizeof set, "protocol.seed=%llu", (unsigned long long)s->seeds[k]);
    int rc = xb_netlist_set(nl, set, err);
    if (rc == XB_OK) rc = xb_study_netlist_yaml(nl, text, err);
    free(nl);
    return rc;
}

const char *xb_study_swept_value(const xb_study_t *s, int i, int p)
{
    const xb_study_key_t *k = xb_study_swept_k(s, i);
    return k->values[s->points[p].choice[k->axis]].text;
}

const char *xb_study_swept_label(const xb_study_t *s, int i, int p)
{
    const xb_study_key_t *k = xb_study_swept_k(s, i);
    return k->values[s->points[p].choice[k->axis]].label;
}

int xb_study_ref_value(const xb_study_t *s, int f, int p, double *mean, double *std)
{
    if (s->ref_by < 0 || f >= s->nrefs) return 0;
    const char *label = xb_study_swept_label(s, s->ref_by, p);
    const xb_study_ref_t *r = &s->refs[f];
    for (int i = 0; i < r->nrows; i++)
        if (!strcmp(r->labels[i], label)) {
            *mean = r->mean[i];
            *std = r->std[i];
            return 1;
        }
    return 0;
}
