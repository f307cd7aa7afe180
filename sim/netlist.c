/* xbarsim netlist loader: YAML (read by netlist_yaml.c: libyaml's events checked first, then its
 * document) -> xb_netlist_t, driven by one field table (netlist_fields.c) that declares every
 * key with its type, default, range, unit and meaning. Keys may be dotted paths; every key path
 * is recorded where it was given, so a path given twice is a duplicate however it is spelt.
 * Validation and derived values: netlist_check.c. */
#include "sim/netlist.h"
#include "sim/fsio.h"
#include "sim/netlist_fields.h"
#include "sim/netlist_yaml.h"

#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <yaml.h>

extern const char xb_default_netlist_yaml[];
extern const size_t xb_default_netlist_yaml_len;

/* The keys given in one file (or one --set value), as full paths ("network.layer.channels",
 * "chip.device.g_max"), with where each was given: a key path given twice is a duplicate,
 * however it was spelt (nested mappings or dotted keys). Only known paths are recorded
 * (an unknown key is an error), so a netlist's paths fit. */
#define XB_SEEN_MAX 256
typedef struct seen {
    int n;
    struct {
        char path[96];
        int line, col;
    } e[XB_SEEN_MAX];
} seen_t;

/* What a value is being parsed for: where it came from and where relative paths start. */
typedef struct ctx {
    const char *file;      /* file name for messages ("" for --set)                */
    char dir[XB_PATH_MAX]; /* directory of relative paths                         */
    unsigned char source;  /* 1 file, 2 --set (0 the table's defaults)            */
    const char *set_path;  /* --set: the assigned key path                        */
    seen_t *seen;          /* keys given so far (NULL: not checked)                */
} ctx_t;

/* ---------------------------------------------------------------- small helpers */

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

static int load_device_preset(xb_device_params_t *dev, const char *name, xb_error_t *err,
                              const loc_t *at);
static const char *devices_dir(void);
static int parse_device_mapping(xb_device_params_t *dev, xb_nl_doc_t *doc, yaml_node_t *map,
                                const char *shown, const ctx_t *c, xb_error_t *err);
static void defaults_of(const field_t *t, int n, void *base);

/* Is scalar n a string: tagged !!str or `!`, or untagged and quoted (or a block scalar)?
 * (An explicit !!int or !!float makes even a quoted scalar a number, as in YAML.) */
static int is_string(const xb_nl_doc_t *doc, const yaml_node_t *n)
{
    xb_nl_tag_t tag = xb_nl_doc_tag(doc, n);
    return tag == XB_NL_STR ||
           (tag == XB_NL_UNTAGGED && n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE);
}

/* May a scalar explicitly tagged `tag` be given to a field of type t? Strings are refused
 * later, with their value, where a number is expected. */
static int tag_fits(ftype_t t, xb_nl_tag_t tag)
{
    switch (tag) {
    case XB_NL_UNTAGGED:
    case XB_NL_STR:
        return 1;
    case XB_NL_INT:
        return t <= F_U64;
    case XB_NL_FLOAT:
        return t == F_DOUBLE || t == F_DOUBLE_AUTO;
    case XB_NL_BOOL:
        return t == F_TRISTATE;
    default:
        return 0;
    }
}

/* YAML's spellings of infinity and not-a-number, and C's, which strtod would take. */
static int non_finite_word(const char *v)
{
    static const char *const w[] = {".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN"};
    const char *u = (*v == '+' || *v == '-') ? v + 1 : v;
    for (int i = 0; i < 6; i++)
        if (!strcmp(u, w[i])) return 1;
    for (const char *p = u; *p; p++)
        if (isalpha((unsigned char)*p) && *p != 'e' && *p != 'E')
            return !strncasecmp(u, "inf", 3) || !strncasecmp(u, "nan", 3);
    return 0;
}

/* A plain decimal number: digits, one point, an exponent (no hex, no underscores, no words). */
static int decimal_text(const char *v)
{
    if (!*v) return 0;
    for (const char *p = v; *p; p++)
        if (!isdigit((unsigned char)*p) && !strchr(".eE+-", *p)) return 0;
    return 1;
}

/* Parses node into the field at base + f->off. */
static int set_value(const field_t *f, void *base, xb_nl_doc_t *doc, yaml_node_t *node,
                     const loc_t *l, xb_error_t *err)
{
    char *p = (char *)base + f->off;
    char cb[XB_NL_CLIP];
    if (f->type == F_READOUTS) {
        if (node->type != YAML_SEQUENCE_NODE)
            return fail(err, XB_EINVAL, l, "%s: expected %s, got %s", l->path, type_word(f),
                        node_kind(node));
        unsigned bits = 0;
        for (yaml_node_item_t *it = node->data.sequence.items.start;
             it < node->data.sequence.items.top; it++) {
            yaml_node_t *item = yaml_document_get_node(&doc->doc, *it);
            loc_t il = {l->c, l->path, (int)item->start_mark.line + 1,
                        (int)item->start_mark.column + 1};
            if (item->type != YAML_SCALAR_NODE)
                return fail(err, XB_EINVAL, &il, "%s: expected a readout name, got %s", l->path,
                            node_kind(item));
            xb_nl_tag_t tag = xb_nl_doc_tag(doc, item);
            if (tag > XB_NL_STR)
                return fail(err, XB_EINVAL, &il, "%s: expected a readout name, got a %s value",
                            l->path, xb_nl_tag_name(tag));
            int k = choice_index(f->names, scalar(item));
            char list[200];
            xb_nl_names_list(f->names, list, sizeof list);
            if (k < 0)
                return fail(err, XB_EINVAL, &il, "%s: unknown readout '%s' (one of: %s)", l->path,
                            xb_nl_clip(scalar(item), cb), list);
            if (bits & (1u << k))
                return fail(err, XB_EINVAL, &il, "%s: readout '%s' listed twice", l->path,
                            scalar(item));
            bits |= 1u << k;
        }
        if (!bits) return fail(err, XB_EINVAL, l, "%s: the list of readouts is empty", l->path);
        *(unsigned *)p = bits;
        return XB_OK;
    }
    if (f->type == F_DOUBLES || f->type == F_CHOICES) {
        /* F_CHOICES: each name's index, parsed as an F_ENUM */
        xb_nl_doubles_t *d = (xb_nl_doubles_t *)p, out = {0};
        field_t one = *f;
        one.type = f->type == F_CHOICES ? F_ENUM : F_DOUBLE;
        one.off = 0;
        const char *what = f->type == F_CHOICES ? "a name" : "a number";
        if (node->type == YAML_SCALAR_NODE) {
            int k = 0, rc = f->type == F_CHOICES ? set_value(&one, &k, doc, node, l, err)
                                                 : set_value(&one, &out.v[0], doc, node, l, err);
            if (rc != XB_OK) return rc;
            if (f->type == F_CHOICES) out.v[0] = k;
            out.n = 1;
        } else if (node->type == YAML_SEQUENCE_NODE) {
            for (yaml_node_item_t *it = node->data.sequence.items.start;
                 it < node->data.sequence.items.top; it++) {
                yaml_node_t *item = yaml_document_get_node(&doc->doc, *it);
                loc_t il = {l->c, l->path, (int)item->start_mark.line + 1,
                            (int)item->start_mark.column + 1};
                if (out.n == XB_NL_MAX_LIST)
                    return fail(err, XB_EINVAL, &il, "%s: at most %d values", l->path,
                                XB_NL_MAX_LIST);
                if (item->type != YAML_SCALAR_NODE)
                    return fail(err, XB_EINVAL, &il, "%s: expected %s, got %s", l->path, what,
                                node_kind(item));
                int k = 0, rc = f->type == F_CHOICES
                                    ? set_value(&one, &k, doc, item, &il, err)
                                    : set_value(&one, &out.v[out.n], doc, item, &il, err);
                if (rc != XB_OK) return rc;
                if (f->type == F_CHOICES) out.v[out.n] = k;
                out.n++;
            }
        } else {
            return fail(err, XB_EINVAL, l, "%s: expected %s, got %s", l->path, type_word(f),
                        node_kind(node));
        }
        *d = out;
        return XB_OK;
    }
    if (f->type == F_DEVICE && node->type == YAML_MAPPING_NODE) {
        xb_device_params_t *dev = (xb_device_params_t *)p, d;
        defaults_of(xb_nl_device_fields, xb_nl_ndevfields, &d);
        snprintf(d.name, sizeof d.name, "inline");
        /* {preset: NAME, key: value, ...}: the preset's values, then the keys given */
        yaml_node_pair_t *start = node->data.mapping.pairs.start,
                         *top = node->data.mapping.pairs.top;
        yaml_node_pair_t *pp = NULL;
        for (yaml_node_pair_t *q = start; q < top; q++) {
            yaml_node_t *k = yaml_document_get_node(&doc->doc, q->key);
            if (k->type == YAML_SCALAR_NODE && !strcmp(scalar(k), "preset")) pp = q;
        }
        char preset[XB_NAME_MAX] = "";
        if (pp) {
            yaml_node_t *pv = yaml_document_get_node(&doc->doc, pp->value);
            loc_t pl = {l->c, l->path, (int)pv->start_mark.line + 1,
                        (int)pv->start_mark.column + 1};
            if (pv->type != YAML_SCALAR_NODE)
                return fail(err, XB_EINVAL, &pl, "%s.preset: expected a preset name, got %s",
                            l->path, node_kind(pv));
            int rc = load_device_preset(&d, scalar(pv), err, &pl);
            if (rc != XB_OK) return rc;
            snprintf(preset, sizeof preset, "%s", scalar(pv));
            yaml_node_pair_t tmp = *pp; /* walk the other keys only */
            *pp = top[-1];
            top[-1] = tmp;
            node->data.mapping.pairs.top--;
        }
        const long others = node->data.mapping.pairs.top - start;
        int rc = parse_device_mapping(&d, doc, node, l->path, l->c, err);
        if (pp) { /* restore the document */
            node->data.mapping.pairs.top++;
            yaml_node_pair_t tmp = *pp;
            *pp = top[-1];
            top[-1] = tmp;
            if (rc != XB_OK) {
                char msg[sizeof err->msg];
                snprintf(msg, sizeof msg, "%s (over preset %s, %s/%s.yaml)", err->msg, preset,
                         devices_dir(), preset);
                snprintf(err->msg, sizeof err->msg, "%s", msg);
            } else if (others > 0) {
                snprintf(d.name, sizeof d.name, "%.*s+", (int)sizeof d.name - 2, preset);
            }
        }
        if (rc == XB_OK) *dev = d;
        return rc;
    }
    if (node->type != YAML_SCALAR_NODE)
        return fail(err, XB_EINVAL, l, "%s: expected %s, got %s", l->path, type_word(f),
                    node_kind(node));
    const char *v = scalar(node);
    xb_nl_tag_t tag = xb_nl_doc_tag(doc, node);
    if (!tag_fits(f->type, tag))
        return fail(err, XB_EINVAL, l, "%s: expected %s, got a %s value", l->path, type_word(f),
                    xb_nl_tag_name(tag));
    int auto_ok = (f->type == F_INT_AUTO || f->type == F_DOUBLE_AUTO) && !strcmp(v, "auto");
    if (f->type <= F_U64 && !auto_ok && is_string(doc, node))
        return fail(err, XB_EINVAL, l, "%s: expected %s, got the string \"%s\"", l->path,
                    type_word(f), xb_nl_clip(v, cb));
    char *end = NULL;
    char r[80];
    switch (f->type) {
    case F_INT_AUTO:
        if (auto_ok) {
            *(int *)p = -1;
            return XB_OK;
        }
        /* fall through */
    case F_INT: {
        errno = 0;
        long x = strtol(v, &end, 10);
        if (!*v || *end || isspace((unsigned char)*v))
            return fail(err, XB_EINVAL, l, "%s: expected %s, got '%s'", l->path, type_word(f),
                        xb_nl_clip(v, cb));
        if (!strcmp(f->path, "version") && (errno || x != 1))
            return fail(err, XB_EINVAL, l,
                        "unsupported schema version %s (this xbarsim reads version 1)",
                        xb_nl_clip(v, cb));
        if (errno || !xb_nl_in_range(f, (double)x))
            return fail(err, XB_EINVAL, l, "%s: %s is out of range %s", l->path, xb_nl_clip(v, cb),
                        xb_nl_range_text(f, r, sizeof r));
        *(int *)p = (int)x;
        return XB_OK;
    }
    case F_DOUBLE_AUTO:
        if (auto_ok) {
            *(double *)p = -1;
            return XB_OK;
        }
        /* fall through */
    case F_DOUBLE: {
        if (non_finite_word(v))
            return fail(err, XB_EINVAL, l, "%s: %s is not a finite number", l->path,
                        xb_nl_clip(v, cb));
        errno = 0;
        double x = decimal_text(v) ? strtod(v, &end) : 0;
        if (!decimal_text(v) || *end)
            return fail(err, XB_EINVAL, l, "%s: expected %s, got '%s'", l->path, type_word(f),
                        xb_nl_clip(v, cb));
        if (errno == ERANGE && fabs(x) > 1)
            return fail(err, XB_EINVAL, l, "%s: %s is not a finite number (beyond a double)",
                        l->path, xb_nl_clip(v, cb));
        if (errno == ERANGE)
            return fail(err, XB_EINVAL, l, "%s: %s is too close to 0 for a double", l->path,
                        xb_nl_clip(v, cb));
        if (!xb_nl_in_range(f, x))
            return fail(err, XB_EINVAL, l, "%s: %g %s %s", l->path, x,
                        f->min > -BIG && f->max < BIG ? "is out of range" : "must be",
                        xb_nl_range_text(f, r, sizeof r));
        *(double *)p = x;
        return XB_OK;
    }
    case F_U64: {
        errno = 0;
        unsigned long long x = strtoull(v, &end, 10);
        if (!*v || *end || !isdigit((unsigned char)*v))
            return fail(err, XB_EINVAL, l, "%s: expected %s, got '%s'", l->path, type_word(f),
                        xb_nl_clip(v, cb));
        if (errno)
            return fail(err, XB_EINVAL, l, "%s: %s is out of range [0, 18446744073709551615]",
                        l->path, xb_nl_clip(v, cb));
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
            xb_nl_names_list(f->names, list, sizeof list);
            return fail(err, XB_EINVAL, l, "%s: unknown value '%s' (one of: %s)", l->path,
                        xb_nl_clip(v, cb), list);
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
            return fail(err, XB_EINVAL, l, "%s: expected %s, got '%s'", l->path, type_word(f),
                        xb_nl_clip(v, cb));
        return XB_OK;
    case F_PATH:
        if (strlen(v) + strlen(l->c->dir) + 2 >= XB_PATH_MAX)
            return fail(err, XB_EINVAL, l, "%s: path too long", l->path);
        resolve_path(l->c, v, p);
        return XB_OK;
    case F_DEVICE:
        return load_device_preset((xb_device_params_t *)p, v, err, l);
    default:
        return fail(err, XB_EINVAL, l, "%s: unsupported field type", l->path);
    }
}

/* ---------------------------------------------------------------- YAML documents */

/* Reads a buffer holding one YAML document (sim/netlist_yaml.h: depth, tags, anchors, encoding
 * checked first). A problem is located in the file at its own mark, or named by the --set path.
 * On success the caller deletes doc with xb_nl_doc_delete. */
static int parse_doc(xb_nl_doc_t *doc, const char *buf, size_t len, const loc_t *l, xb_error_t *err)
{
    xb_nl_problem_t pb;
    int rc = xb_nl_doc_load(doc, buf, len, &pb);
    if (rc == XB_OK) return XB_OK;
    if (rc == XB_ENOMEM) return xb_error_set(err, rc, "%s", pb.msg);
    loc_t pl = *l;
    pl.line = pb.line;
    pl.col = pb.col;
    return fail(err, rc, &pl, "%s", pb.msg);
}

/* Netlists and presets are small: anything larger than this is not one. */
#define XB_NETLIST_MAX_BYTES (16u << 20)

static int read_file(const char *path, char **buf, size_t *len, xb_error_t *err)
{
    return xb_read_regular(path, XB_NETLIST_MAX_BYTES, buf, len, err);
}

/* Records key path `disp` given at kl; a path given before is a duplicate, whether it was spelt
 * with nested mappings or dotted keys. */
static int note_key(const ctx_t *c, const char *disp, const loc_t *kl, xb_error_t *err)
{
    seen_t *s = c->seen;
    if (!s) return XB_OK;
    for (int i = 0; i < s->n; i++) {
        if (strcmp(s->e[i].path, disp)) continue;
        if (c->source == 2) return fail(err, XB_EINVAL, kl, "duplicate key '%s'", disp);
        return fail(err, XB_EINVAL, kl, "duplicate key '%s' (first given at %d:%d)", disp,
                    s->e[i].line, s->e[i].col);
    }
    if (s->n < XB_SEEN_MAX && strlen(disp) < sizeof s->e[0].path) {
        snprintf(s->e[s->n].path, sizeof s->e[0].path, "%s", disp);
        s->e[s->n].line = kl->line;
        s->e[s->n].col = kl->col;
        s->n++;
    }
    return XB_OK;
}

/* An unknown key path: named from the deepest known section it starts with, with the nearest
 * key of that section. */
static int unknown_key(const field_t *t, int n, const char *path, const char *shown,
                       const loc_t *kl, xb_error_t *err)
{
    char sect[256] = "", cand[256], cb[XB_NL_CLIP];
    const char *rest = path;
    for (const char *dot; (dot = strchr(rest, '.')) != NULL; rest = dot + 1) {
        snprintf(cand, sizeof cand, "%s%s%.*s", sect, *sect ? "." : "", (int)(dot - rest), rest);
        if (!is_section(t, n, cand)) break;
        snprintf(sect, sizeof sect, "%s", cand);
    }
    char where[320];
    snprintf(where, sizeof where, "%s%s%s", shown, *shown && *sect ? "." : "", sect);
    size_t first = strcspn(rest, ".");
    snprintf(cand, sizeof cand, "%s%s%.*s", sect, *sect ? "." : "", (int)first, rest);
    int fi = rest[first] ? xb_nl_field_find(t, n, cand) : -1;
    if (fi >= 0 && t[fi].type == F_DEVICE)
        return fail(err, XB_EINVAL, kl,
                    "unknown key '%s': %s is given whole, as a preset name or a mapping of "
                    "device keys (%s: {%s: ...})",
                    xb_nl_clip(path, cb), cand, cand, rest + first + 1);
    if (fi >= 0)
        return fail(err, XB_EINVAL, kl, "unknown key '%s': %s is a value, not a section",
                    xb_nl_clip(path, cb), cand);
    char sbuf[XB_NAME_MAX], hint[XB_NAME_MAX + 32] = "", key[XB_NAME_MAX];
    snprintf(key, sizeof key, "%.*s", (int)first, rest);
    const char *s = suggest(t, n, sect, key, sbuf, sizeof sbuf);
    if (s) snprintf(hint, sizeof hint, "; did you mean '%s'?", s);
    if (*where)
        return fail(err, XB_EINVAL, kl, "unknown key '%s' in %s%s", xb_nl_clip(rest, cb), where,
                    hint);
    return fail(err, XB_EINVAL, kl, "unknown top-level key '%s'%s", xb_nl_clip(rest, cb), hint);
}

/* Walks a mapping of table section `prefix`, setting the fields found in it. Keys may be dotted
 * ("layer.channels" in section network). Messages name keys as `shown`.path
 * ("chip.device.g_max" for an inline device; shown "" otherwise). */
static int walk(const field_t *t, int n, void *base, xb_field_mark_t *marks, xb_nl_doc_t *doc,
                yaml_node_t *map, const char *prefix, const char *shown, const ctx_t *c,
                xb_error_t *err)
{
    for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top;
         pr++) {
        yaml_node_t *k = yaml_document_get_node(&doc->doc, pr->key);
        yaml_node_t *v = yaml_document_get_node(&doc->doc, pr->value);
        char path[256], disp[320], sect[320];
        snprintf(sect, sizeof sect, "%s%s%s", shown, *shown && *prefix ? "." : "", prefix);
        loc_t kl = {c, sect, (int)k->start_mark.line + 1, (int)k->start_mark.column + 1};
        if (k->type != YAML_SCALAR_NODE)
            return fail(err, XB_EINVAL, &kl, "a key must be a plain name, got %s", node_kind(k));
        if (strlen(prefix) + strlen(scalar(k)) + 2 > sizeof path) {
            char cb[XB_NL_CLIP];
            return fail(err, XB_EINVAL, &kl, "unknown key '%s' (%zu characters)",
                        xb_nl_clip(scalar(k), cb), strlen(scalar(k)));
        }
        size_t plen = strlen(prefix);
        memcpy(path, prefix, plen);
        if (plen) path[plen++] = '.';
        memcpy(path + plen, scalar(k), strlen(scalar(k)) + 1);
        snprintf(disp, sizeof disp, "%s%s%s", shown, *shown ? "." : "", path);
        int fi = xb_nl_field_find(t, n, path), section = fi < 0 && is_section(t, n, path);
        if (fi < 0 && !section) return unknown_key(t, n, path, shown, &kl, err);
        int rc = note_key(c, disp, &kl, err);
        if (rc != XB_OK) return rc;
        loc_t vl = {c, disp, (int)v->start_mark.line + 1, (int)v->start_mark.column + 1};
        if (fi >= 0) {
            rc = set_value(&t[fi], base, doc, v, &vl, err);
            if (rc != XB_OK) return rc;
            marks[fi].line = vl.line;
            marks[fi].col = vl.col;
            marks[fi].source = c->source;
            marks[fi].is_auto = t[fi].type == F_INT_AUTO && *(int *)((char *)base + t[fi].off) < 0;
        } else {
            if (is_null(v)) continue; /* an empty section: "layer:" with its keys commented out */
            if (v->type != YAML_MAPPING_NODE)
                return fail(err, XB_EINVAL, &vl, "%s: expected a mapping (a section), got %s", disp,
                            node_kind(v));
            rc = walk(t, n, base, marks, doc, v, path, shown, c, err);
            if (rc != XB_OK) return rc;
        }
    }
    return XB_OK;
}

/* The error of a device cross-check goes to the first of two keys given (else the mapping). */
static loc_t device_blame(const xb_field_mark_t *m, const char *a, const char *b, const ctx_t *c,
                          const char *shown, const yaml_node_t *map)
{
    int fa = xb_nl_field_find(xb_nl_device_fields, xb_nl_ndevfields, a),
        fb = xb_nl_field_find(xb_nl_device_fields, xb_nl_ndevfields, b);
    int f = m[fa].source ? fa : m[fb].source ? fb : -1;
    loc_t l = {c, shown, (int)map->start_mark.line + 1, (int)map->start_mark.column + 1};
    if (f >= 0) {
        l.line = m[f].line;
        l.col = m[f].col;
    }
    return l;
}

/* Device keys of a preset file (shown "") or of an inline chip.device mapping. */
static int parse_device_mapping(xb_device_params_t *dev, xb_nl_doc_t *doc, yaml_node_t *map,
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
    if (dev->refresh_lower >= dev->refresh_upper) {
        l = device_blame(m, "refresh_lower", "refresh_upper", c, shown, map);
        return fail(err, XB_EINVAL, &l, "%s: refresh_lower %g must be below refresh_upper %g",
                    what, dev->refresh_lower, dev->refresh_upper);
    }
    if (dev->dw_min > dev->es_w_max) {
        l = device_blame(m, "dw_min", "es_w_max", c, shown, map);
        return fail(err, XB_EINVAL, &l, "%s: dw_min %g exceeds the device range es_w_max %g",
                    what, dev->dw_min, dev->es_w_max);
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

static int load_device_preset(xb_device_params_t *dev, const char *name, xb_error_t *err,
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
        char cb[XB_NL_CLIP];
        return fail(err, XB_EINVAL, at,
                    "chip.device: unknown device preset '%s' (presets in %s: %s)",
                    xb_nl_clip(name, cb), devices_dir(), list[0] ? list : "none");
    }
    close(probe);
    char *buf = NULL;
    size_t len = 0;
    int rc = read_file(path, &buf, &len, err);
    if (rc != XB_OK) return rc;
    seen_t *seen = malloc(sizeof *seen);
    if (!seen) {
        free(buf);
        return xb_error_set(err, XB_ENOMEM, "out of memory");
    }
    seen->n = 0;
    ctx_t c = {path, "", 1, NULL, seen};
    loc_t l = {&c, "", 0, 0};
    xb_nl_doc_t doc;
    rc = parse_doc(&doc, buf, len, &l, err);
    free(buf);
    if (rc != XB_OK) {
        free(seen);
        return rc;
    }
    yaml_node_t *root = yaml_document_get_root_node(&doc.doc);
    xb_device_params_t d;
    defaults_of(xb_nl_device_fields, xb_nl_ndevfields, &d);
    if (!root || root->type != YAML_MAPPING_NODE) {
        rc = xb_error_at(err, XB_EINVAL, path, root ? (int)root->start_mark.line + 1 : 1,
                         root ? (int)root->start_mark.column + 1 : 1,
                         "a device preset must be a mapping of device keys");
    } else {
        rc = parse_device_mapping(&d, &doc, root, "", &c, err);
    }
    xb_nl_doc_delete(&doc);
    free(seen);
    if (rc != XB_OK) return rc;
    snprintf(d.name, sizeof d.name, "%s", name);
    *dev = d;
    return XB_OK;
}

/* ---------------------------------------------------------------- defaults, resolution */

static void defaults_of(const field_t *t, int n, void *base)
{
    ctx_t c = {"<defaults>", "", 0, NULL, NULL};
    memset(base, 0, t == xb_nl_fields ? sizeof(xb_netlist_t) : sizeof(xb_device_params_t));
    for (int i = 0; i < n; i++) {
        if (!t[i].def[0]) continue;
        if (t[i].type == F_DEVICE) {
            /* the built-in device defaults, named by the field's default (no file read) */
            xb_device_params_t *dev = (xb_device_params_t *)((char *)base + t[i].off);
            defaults_of(xb_nl_device_fields, xb_nl_ndevfields, dev);
            snprintf(dev->name, sizeof dev->name, "%s", t[i].def);
            continue;
        }
        xb_nl_doc_t doc;
        loc_t l = {&c, t[i].path, 0, 0};
        xb_error_t err;
        int rc = parse_doc(&doc, t[i].def, strlen(t[i].def), &l, &err);
        if (rc == XB_OK) {
            rc = set_value(&t[i], base, &doc, yaml_document_get_root_node(&doc.doc), &l, &err);
            xb_nl_doc_delete(&doc);
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
    int fi = xb_nl_field_find(xb_nl_fields, xb_nl_nfields, "network.neuron.refrac");
    nl->marks[fi].is_auto = 1;
    nl->neuron.refrac = 2;
    snprintf(nl->path, sizeof nl->path, "<defaults>");
}

/* ---------------------------------------------------------------- loading */

int xb_netlist_load_string(xb_netlist_t *nl, const char *yaml, size_t len, const char *name,
                           xb_error_t *err)
{
    xb_netlist_t *tmp = malloc(sizeof *tmp);
    if (!tmp) return xb_error_set(err, XB_ENOMEM, "out of memory");
    xb_netlist_defaults(tmp);
    snprintf(tmp->path, sizeof tmp->path, "%s", name);
    seen_t *seen = malloc(sizeof *seen);
    if (!seen) {
        free(tmp);
        return xb_error_set(err, XB_ENOMEM, "out of memory");
    }
    seen->n = 0;
    ctx_t c = {tmp->path, "", 1, NULL, seen};
    const char *slash = strrchr(name, '/');
    if (slash)
        snprintf(c.dir, sizeof c.dir, "%.*s", (int)(slash - name), name);
    else
        snprintf(c.dir, sizeof c.dir, ".");
    loc_t l = {&c, "", 1, 1};
    xb_nl_doc_t doc;
    int rc = parse_doc(&doc, yaml, len, &l, err);
    if (rc != XB_OK) goto out;
    yaml_node_t *root = yaml_document_get_root_node(&doc.doc);
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
    xb_nl_doc_delete(&doc);
    if (rc != XB_OK) goto out;
    xb_nl_resolve(tmp);
    rc = xb_netlist_validate(tmp, err);
    if (rc == XB_OK) *nl = *tmp;
out:
    free(seen);
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

/* --set chip.device.KEY=value: one device key over the netlist's device (its preset, or the
 * inline device), checked with the device's cross-checks; the device's name gains a '+' (a
 * preset with changes). */
static int set_device_key(xb_netlist_t *tmp, const char *path, const char *value, int order,
                          xb_error_t *err)
{
    const char *key = path + 12;
    int k = xb_nl_field_find(xb_nl_device_fields, xb_nl_ndevfields, key);
    if (k < 0) {
        char list[600] = "";
        for (int i = 0; i < xb_nl_ndevfields; i++) {
            size_t len = strlen(list);
            snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "",
                     xb_nl_device_fields[i].path);
        }
        return xb_error_set(err, XB_EINVAL, "--set %s: unknown device key '%s' (one of: %s)", path,
                            key, list);
    }
    seen_t *seen = malloc(sizeof *seen);
    if (!seen) return xb_error_set(err, XB_ENOMEM, "out of memory");
    seen->n = 0;
    ctx_t c = {"", ".", 2, path, seen};
    loc_t l = {&c, path, 0, 0};
    xb_nl_doc_t doc;
    int rc = parse_doc(&doc, value, strlen(value), &l, err);
    if (rc != XB_OK) {
        free(seen);
        return rc;
    }
    yaml_node_t *root = yaml_document_get_root_node(&doc.doc);
    xb_device_params_t d = tmp->chip.device;
    if (!root)
        rc = xb_error_set(err, XB_EINVAL, "--set %s: expected %s, got nothing", path,
                          type_word(&xb_nl_device_fields[k]));
    else
        rc = set_value(&xb_nl_device_fields[k], &d, &doc, root, &l, err);
    xb_nl_doc_delete(&doc);
    free(seen);
    if (rc != XB_OK) return rc;
    const char *from = tmp->chip.device.name;
    char where[XB_NAME_MAX + 64];
    snprintf(where, sizeof where, "%s%s", strcmp(from, "inline") ? "preset " : "",
             strcmp(from, "inline") ? from : "the inline device");
    if (d.g_min >= d.g_max)
        return xb_error_set(err, XB_EINVAL, "--set %s: g_min %g S must be below g_max %g S (%s)",
                            path, d.g_min, d.g_max, where);
    if (d.levels_ltp == 1 || d.levels_ltd == 1)
        return xb_error_set(err, XB_EINVAL,
                            "--set %s: 1 level cannot store a weight; use 0 (continuous) or at "
                            "least 2 (%s)",
                            path, where);
    if (d.stuck_min + d.stuck_max > 1)
        return xb_error_set(err, XB_EINVAL, "--set %s: stuck_min + stuck_max = %g exceeds 1 (%s)",
                            path, d.stuck_min + d.stuck_max, where);
    if (d.refresh_lower >= d.refresh_upper)
        return xb_error_set(err, XB_EINVAL,
                            "--set %s: refresh_lower %g must be below refresh_upper %g (%s)", path,
                            d.refresh_lower, d.refresh_upper, where);
    if (d.dw_min > d.es_w_max)
        return xb_error_set(err, XB_EINVAL,
                            "--set %s: dw_min %g exceeds the device range es_w_max %g (%s)", path,
                            d.dw_min, d.es_w_max, where);
    size_t n = strlen(d.name);
    if (strcmp(d.name, "inline") && n && d.name[n - 1] != '+' && n + 1 < sizeof d.name)
        d.name[n] = '+', d.name[n + 1] = 0;
    tmp->chip.device = d;
    int fi = xb_nl_field_find(xb_nl_fields, xb_nl_nfields, "chip.device");
    tmp->marks[fi].source = 2;
    tmp->marks[fi].line = order;
    tmp->marks[fi].col = 0;
    return XB_OK;
}

/* Applies one assignment to tmp without validating; `order` ranks it among all --set. */
static int apply_one(xb_netlist_t *tmp, const char *assignment, int order, xb_error_t *err)
{
    const char *eq = strchr(assignment, '=');
    if (!eq || eq == assignment)
        return xb_error_set(err, XB_EINVAL, "--set %s: expected key.path=value", assignment);
    char path[256];
    snprintf(path, sizeof path, "%.*s", (int)(eq - assignment), assignment);
    int fi = xb_nl_field_find(xb_nl_fields, xb_nl_nfields, path);
    if (fi < 0 && is_section(xb_nl_fields, xb_nl_nfields, path))
        return xb_error_set(err, XB_EINVAL, "--set %s: is a section; set one of its keys", path);
    if (fi < 0 && !strncmp(path, "chip.device.", 12))
        return set_device_key(tmp, path, eq + 1, order, err);
    if (fi < 0)
        return xb_error_set(err, XB_EINVAL, "--set %s: unknown key (see `xbarsim schema`)", path);
    seen_t *seen = malloc(sizeof *seen);
    if (!seen) return xb_error_set(err, XB_ENOMEM, "out of memory");
    seen->n = 0;
    ctx_t c = {"", ".", 2, xb_nl_fields[fi].path, seen};
    loc_t l = {&c, xb_nl_fields[fi].path, 0, 0};
    xb_nl_doc_t doc;
    int rc = parse_doc(&doc, eq + 1, strlen(eq + 1), &l, err);
    if (rc != XB_OK) {
        free(seen);
        return rc;
    }
    yaml_node_t *root = yaml_document_get_root_node(&doc.doc);
    if (!root)
        rc = xb_error_set(err, XB_EINVAL, "--set %s: expected %s, got nothing", path,
                          type_word(&xb_nl_fields[fi]));
    else
        rc = set_value(&xb_nl_fields[fi], tmp, &doc, root, &l, err);
    xb_nl_doc_delete(&doc);
    free(seen);
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
    xb_nl_resolve(tmp);
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
