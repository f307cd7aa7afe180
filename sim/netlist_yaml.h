/* xbarsim netlist YAML reading (private to sim/netlist*.c).
 *
 * A netlist (or a device preset, or a --set value) is read in two passes over libyaml:
 *  1. libyaml's event parser walks the whole stream first and refuses, at the event's
 *     file:line:col, what a netlist never needs and a hostile file could use: nesting deeper
 *     than XB_NL_MAX_DEPTH and more than XB_NL_MAX_NODES nodes (stopped at once, before
 *     libyaml's document loader builds anything: 16 MiB of tiny nodes would take ~1 GB), anchors
 *     and aliases, merge keys (<<), and tags outside the core schema. Reader errors (invalid
 *     UTF-8, control characters such as NUL) are located by their byte offset. The explicit
 *     tags of scalars are kept, since the document loader gives untagged nodes the same default
 *     tags (`!!str 5` must stay a string).
 *  2. libyaml's document loader builds the document; a second document with content is
 *     refused at its first node.
 */
#ifndef XB_NETLIST_YAML_H
#define XB_NETLIST_YAML_H

#include <stddef.h>
#include <yaml.h>

#define XB_NL_MAX_DEPTH 64    /* nested mappings and sequences                       */
#define XB_NL_MAX_NODES 10000 /* scalars and collections (a netlist has a few hundred) */

/* What an explicit tag says a scalar is (XB_NL_UNTAGGED: no tag). `!` (non-specific) and
 * `!!str` make a string. */
typedef enum {
    XB_NL_UNTAGGED = 0,
    XB_NL_STR,
    XB_NL_INT,
    XB_NL_FLOAT,
    XB_NL_BOOL,
    XB_NL_NULL,
} xb_nl_tag_t;

typedef struct xb_nl_tagged {
    size_t index; /* the node's start_mark.index */
    xb_nl_tag_t tag;
} xb_nl_tagged_t;

typedef struct xb_nl_doc {
    yaml_document_t doc;
    xb_nl_tagged_t *tagged; /* explicitly tagged scalars, by increasing index */
    size_t ntagged, cap;
} xb_nl_doc_t;

/* Why a buffer was refused: an XB_* code, a message, and where (1-based; 0: no location). */
typedef struct xb_nl_problem {
    int code;
    int line, col;
    char msg[400];
} xb_nl_problem_t;

/* Reads one YAML document from buf. XB_OK: the caller deletes d with xb_nl_doc_delete. */
int xb_nl_doc_load(xb_nl_doc_t *d, const char *buf, size_t len, xb_nl_problem_t *pb);

void xb_nl_doc_delete(xb_nl_doc_t *d);

/* The explicit tag of scalar node n (XB_NL_UNTAGGED if it had none). */
xb_nl_tag_t xb_nl_doc_tag(const xb_nl_doc_t *d, const yaml_node_t *n);

/* "!!int", "!!float", ... for messages. */
const char *xb_nl_tag_name(xb_nl_tag_t t);

#endif
