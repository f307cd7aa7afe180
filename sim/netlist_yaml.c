/* xbarsim netlist YAML reading: an event pass that refuses what netlists do not use, then
 * libyaml's document loader (see netlist_yaml.h). */
#include "sim/netlist_yaml.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"

#define CORE "tag:yaml.org,2002:"

static int problem(xb_nl_problem_t *pb, int code, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int problem(xb_nl_problem_t *pb, int code, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pb->msg, sizeof pb->msg, fmt, ap);
    va_end(ap);
    pb->code = code;
    pb->line = line;
    pb->col = col;
    return code;
}

static int at_mark(xb_nl_problem_t *pb, int code, yaml_mark_t m, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int at_mark(xb_nl_problem_t *pb, int code, yaml_mark_t m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pb->msg, sizeof pb->msg, fmt, ap);
    va_end(ap);
    pb->code = code;
    pb->line = (int)m.line + 1;
    pb->col = (int)m.column + 1;
    return code;
}

/* Line and column (1-based; the column counts characters, as libyaml's marks do) of byte
 * offset `off`: reader errors carry only the offset. Line breaks as libyaml counts them: LF,
 * CR, CR LF, NEL, LS, PS; a UTF-8 byte-order mark is not a character. */
static void offset_mark(const char *buf, size_t len, size_t off, int *line, int *col)
{
    const unsigned char *s = (const unsigned char *)buf;
    size_t i = len >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf ? 3 : 0;
    int l = 1, c = 1;
    if (off > len) off = len;
    while (i < off) {
        size_t brk = s[i] == '\n'   ? 1
                     : s[i] == '\r' ? (i + 1 < len && s[i + 1] == '\n' ? 2 : 1)
                     : i + 1 < len && s[i] == 0xc2 && s[i + 1] == 0x85 ? 2
                     : i + 2 < len && s[i] == 0xe2 && s[i + 1] == 0x80 &&
                             (s[i + 2] == 0xa8 || s[i + 2] == 0xa9)
                         ? 3
                         : 0;
        if (brk) {
            l++;
            c = 1;
            i += brk;
            continue;
        }
        if ((s[i] & 0xc0) != 0x80) c++; /* a character starts here */
        i++;
    }
    *line = l;
    *col = c;
}

/* The parser failed: a reader error (encoding) at its byte offset, else a syntax error at
 * libyaml's problem mark. */
static int parser_problem(const yaml_parser_t *p, const char *buf, size_t len, xb_nl_problem_t *pb)
{
    const char *what = p->problem ? p->problem : "unknown problem";
    if (p->error == YAML_MEMORY_ERROR) return problem(pb, XB_ENOMEM, 0, 0, "out of memory");
    if (p->error == YAML_READER_ERROR) {
        int line, col;
        size_t off = p->problem_offset;
        /* a bad trailing byte: point at the character it breaks, from its leading byte */
        if (strstr(what, "trailing") && off > 0 && off <= len) {
            off--;
            while (off > 0 && ((unsigned char)buf[off] & 0xc0) == 0x80)
                off--;
        }
        offset_mark(buf, len, off, &line, &col);
        if (!strcmp(what, "control characters are not allowed"))
            return problem(pb, XB_EFORMAT, line, col, "control character U+%04X is not allowed",
                           (unsigned)p->problem_value);
        if (strstr(what, "octet") && p->problem_value >= 0)
            return problem(pb, XB_EFORMAT, line, col, "not UTF-8 text: %s 0x%02X", what,
                           (unsigned)p->problem_value);
        return problem(pb, XB_EFORMAT, line, col, "not UTF-8 text: %s", what);
    }
    return problem(pb, XB_EFORMAT, (int)p->problem_mark.line + 1, (int)p->problem_mark.column + 1,
                   "YAML syntax error: %s%s%s", what, p->context ? " " : "",
                   p->context ? p->context : "");
}

/* "!!int" for a core tag, "!<tag:x>" for a verbatim one, else the tag as written. */
static const char *tag_shown(const char *tag, char *buf, size_t size)
{
    size_t n = strlen(CORE);
    if (!strncmp(tag, CORE, n))
        snprintf(buf, size, "!!%.60s", tag + n);
    else if (tag[0] != '!')
        snprintf(buf, size, "!<%.60s>", tag);
    else
        snprintf(buf, size, "%.60s", tag);
    if (strlen(tag) > 60) snprintf(buf + strlen(buf), size - strlen(buf), "...");
    return buf;
}

static const char *const scalar_tags[] = {"str", "int", "float", "bool", "null"};

/* Checks an explicit tag against the core schema; a scalar's goes into *kind. */
static int check_tag(const char *tag, yaml_event_type_t type, yaml_mark_t m, xb_nl_tag_t *kind,
                     xb_nl_problem_t *pb)
{
    char shown[80];
    int line = (int)m.line + 1, col = (int)m.column + 1;
    *kind = XB_NL_UNTAGGED;
    if (!tag) return XB_OK;
    if (!strcmp(tag, "!")) { /* non-specific: a scalar is then a string */
        if (type == YAML_SCALAR_EVENT) *kind = XB_NL_STR;
        return XB_OK;
    }
    size_t n = strlen(CORE);
    if (strncmp(tag, CORE, n))
        return problem(pb, XB_EINVAL, line, col,
                       "YAML tag %s is not supported (a netlist may use !!str, !!int, !!float, "
                       "!!bool, !!null, !!map and !!seq)",
                       tag_shown(tag, shown, sizeof shown));
    const char *t = tag + n;
    yaml_event_type_t wants = !strcmp(t, "map")   ? YAML_MAPPING_START_EVENT
                              : !strcmp(t, "seq") ? YAML_SEQUENCE_START_EVENT
                                                  : YAML_SCALAR_EVENT;
    int k = -1;
    for (int i = 0; i < 5 && wants == YAML_SCALAR_EVENT; i++)
        if (!strcmp(t, scalar_tags[i])) k = i;
    if (wants == YAML_SCALAR_EVENT && k < 0)
        return problem(pb, XB_EINVAL, line, col,
                       "YAML tag %s is not supported (a netlist may use !!str, !!int, !!float, "
                       "!!bool, !!null, !!map and !!seq)",
                       tag_shown(tag, shown, sizeof shown));
    if (type != wants)
        return problem(pb, XB_EINVAL, line, col, "tag %s cannot be given to %s",
                       tag_shown(tag, shown, sizeof shown),
                       type == YAML_SCALAR_EVENT           ? "a scalar"
                       : type == YAML_SEQUENCE_START_EVENT ? "a list"
                                                           : "a mapping");
    if (k >= 0) *kind = (xb_nl_tag_t)(XB_NL_STR + k);
    return XB_OK;
}

static int note_tag(xb_nl_doc_t *d, size_t index, xb_nl_tag_t tag)
{
    if (d->ntagged == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 16;
        xb_nl_tagged_t *v = realloc(d->tagged, cap * sizeof *v);
        if (!v) return XB_ENOMEM;
        d->tagged = v;
        d->cap = cap;
    }
    d->tagged[d->ntagged].index = index;
    d->tagged[d->ntagged].tag = tag;
    d->ntagged++;
    return XB_OK;
}

/* One level of nesting: a mapping alternates keys and values. */
typedef struct level {
    unsigned char mapping;
    size_t items;
} level_t;

/* Pass 1: the whole event stream (every document), stopped at the first problem. */
static int event_pass(xb_nl_doc_t *d, const char *buf, size_t len, xb_nl_problem_t *pb)
{
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) return problem(pb, XB_ENOMEM, 0, 0, "out of memory");
    yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
    level_t stack[XB_NL_MAX_DEPTH];
    int depth = 0, rc = XB_OK, done = 0;
    long nodes = 0;
    while (rc == XB_OK && !done) {
        yaml_event_t e;
        if (!yaml_parser_parse(&p, &e)) {
            rc = parser_problem(&p, buf, len, pb);
            break;
        }
        done = e.type == YAML_STREAM_END_EVENT;
        const char *anchor = NULL, *tag = NULL;
        int node = 1;
        switch (e.type) {
        case YAML_SCALAR_EVENT:
            anchor = (const char *)e.data.scalar.anchor;
            tag = (const char *)e.data.scalar.tag;
            break;
        case YAML_SEQUENCE_START_EVENT:
            anchor = (const char *)e.data.sequence_start.anchor;
            tag = (const char *)e.data.sequence_start.tag;
            break;
        case YAML_MAPPING_START_EVENT:
            anchor = (const char *)e.data.mapping_start.anchor;
            tag = (const char *)e.data.mapping_start.tag;
            break;
        case YAML_ALIAS_EVENT:
            rc = at_mark(pb, XB_EINVAL, e.start_mark,
                         "aliases (*%.60s) are not supported: write the value out",
                         (const char *)e.data.alias.anchor);
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            if (depth > 0) depth--;
            node = 0;
            break;
        default:
            node = 0;
            break;
        }
        if (rc == XB_OK && node && ++nodes > XB_NL_MAX_NODES)
            rc = at_mark(pb, XB_EINVAL, e.start_mark,
                         "more than %d YAML nodes (a netlist has a few hundred)", XB_NL_MAX_NODES);
        if (rc == XB_OK && node) {
            int is_key = depth > 0 && stack[depth - 1].mapping && stack[depth - 1].items % 2 == 0;
            if (depth > 0) stack[depth - 1].items++;
            xb_nl_tag_t kind;
            if (anchor)
                rc = at_mark(pb, XB_EINVAL, e.start_mark,
                             "anchors (&%.60s) are not supported: write the value out", anchor);
            else
                rc = check_tag(tag, e.type, e.start_mark, &kind, pb);
            if (rc == XB_OK && e.type == YAML_SCALAR_EVENT && is_key &&
                e.data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
                !strcmp((const char *)e.data.scalar.value, "<<"))
                rc = at_mark(pb, XB_EINVAL, e.start_mark, "%s",
                             "merge keys (<<) are not supported: write the keys out");
            if (rc == XB_OK && e.type == YAML_SCALAR_EVENT && kind != XB_NL_UNTAGGED &&
                note_tag(d, e.start_mark.index, kind) != XB_OK)
                rc = problem(pb, XB_ENOMEM, 0, 0, "out of memory");
            if (rc == XB_OK && e.type != YAML_SCALAR_EVENT) {
                if (depth == XB_NL_MAX_DEPTH)
                    rc = problem(pb, XB_EINVAL, (int)e.start_mark.line + 1,
                                 (int)e.start_mark.column + 1, "YAML nesting deeper than %d levels",
                                 XB_NL_MAX_DEPTH);
                else
                    stack[depth++] = (level_t){e.type == YAML_MAPPING_START_EVENT, 0};
            }
        }
        yaml_event_delete(&e);
    }
    yaml_parser_delete(&p);
    return rc;
}

static int is_null_root(const yaml_node_t *r)
{
    if (!r) return 1;
    const char *v = (const char *)r->data.scalar.value;
    return r->type == YAML_SCALAR_NODE && r->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
           (!*v || !strcmp(v, "~") || !strcmp(v, "null"));
}

int xb_nl_doc_load(xb_nl_doc_t *d, const char *buf, size_t len, xb_nl_problem_t *pb)
{
    memset(d, 0, sizeof *d);
    const unsigned char *s = (const unsigned char *)buf;
    if (len >= 2 && ((s[0] == 0xfe && s[1] == 0xff) || (s[0] == 0xff && s[1] == 0xfe)))
        return problem(pb, XB_EFORMAT, 1, 1,
                       "netlists are UTF-8 text; this one starts with a UTF-16 byte-order mark");
    int rc = event_pass(d, buf, len, pb);
    if (rc != XB_OK) {
        free(d->tagged);
        d->tagged = NULL;
        return rc;
    }
    yaml_parser_t p;
    yaml_document_t extra;
    if (!yaml_parser_initialize(&p)) {
        free(d->tagged);
        return problem(pb, XB_ENOMEM, 0, 0, "out of memory");
    }
    yaml_parser_set_input_string(&p, s, len);
    if (!yaml_parser_load(&p, &d->doc)) {
        rc = parser_problem(&p, buf, len, pb);
    } else if (!yaml_parser_load(&p, &extra)) {
        rc = parser_problem(&p, buf, len, pb);
        yaml_document_delete(&d->doc);
    } else {
        yaml_node_t *r = yaml_document_get_root_node(&extra);
        if (!is_null_root(r)) {
            rc = at_mark(pb, XB_EINVAL, r->start_mark, "%s",
                         "only one YAML document is allowed; a second one starts here");
            yaml_document_delete(&d->doc);
        }
        yaml_document_delete(&extra);
    }
    yaml_parser_delete(&p);
    if (rc != XB_OK) {
        free(d->tagged);
        d->tagged = NULL;
    }
    return rc;
}

void xb_nl_doc_delete(xb_nl_doc_t *d)
{
    yaml_document_delete(&d->doc);
    free(d->tagged);
    d->tagged = NULL;
    d->ntagged = d->cap = 0;
}

xb_nl_tag_t xb_nl_doc_tag(const xb_nl_doc_t *d, const yaml_node_t *n)
{
    if (!n || n->type != YAML_SCALAR_NODE) return XB_NL_UNTAGGED;
    size_t lo = 0, hi = d->ntagged, index = n->start_mark.index;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->tagged[mid].index < index)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < d->ntagged && d->tagged[lo].index == index ? d->tagged[lo].tag : XB_NL_UNTAGGED;
}

const char *xb_nl_tag_name(xb_nl_tag_t t)
{
    static const char *const names[] = {"", "!!str", "!!int", "!!float", "!!bool", "!!null"};
    return (unsigned)t < 6 ? names[t] : "?";
}
