/* xbarsim netlist schema v1: the field tables (private to sim/netlist*.c).
 * Every field of a netlist and of a device is declared once, in netlist_fields.c. */
#ifndef XB_NETLIST_FIELDS_H
#define XB_NETLIST_FIELDS_H

#include <stddef.h>

typedef enum {
    F_INT,         /* int in [min, max]                                   */
    F_INT_AUTO,    /* int in [min, max], or "auto" (derived, see resolve) */
    F_DOUBLE,      /* finite double in [min, max]                         */
    F_DOUBLE_AUTO, /* finite double in [min, max], or "auto" (-1)     */
    F_U64,         /* unsigned 64-bit                                     */
    F_NAME,        /* free string (name)                                  */
    F_CHOICE,      /* string, one of `names`, stored as the string        */
    F_ENUM,        /* one of `names`, stored as its index (int)           */
    F_TRISTATE,    /* true | false | auto -> 1 | 0 | -1                   */
    F_PATH,        /* file path, relative to the netlist's directory      */
    F_READOUTS,    /* sequence of readout names -> bit set                */
    F_DEVICE,      /* preset name or inline mapping                       */
    F_DOUBLES,     /* a number or a list of numbers in [min, max] -> xb_nl_doubles_t */
    F_CHOICES,     /* a name or a list of names of `names` -> their indices, xb_nl_doubles_t */
} ftype_t;

#define BIG 1e300 /* min -BIG / max BIG: unbounded on that side */
#define LO 1u     /* open range: min excluded                   */
#define HI 2u     /* open range: max excluded                   */

typedef struct field {
    const char *path;
    ftype_t type;
    size_t off;
    const char *def; /* default, parsed like a YAML scalar ("" for none) */
    double min, max; /* -BIG / BIG: unbounded on that side                 */
    unsigned open;   /* LO: min excluded, HI: max excluded                  */
    const char *const *names;
    const char *unit;
    const char *doc;
} field_t;

/* Per type, indexed by ftype_t: its name in the schema, and what a message expects. */
typedef struct xb_nl_type {
    const char *name, *word;
} xb_nl_type_t;
extern const xb_nl_type_t xb_nl_types[];

extern const field_t xb_nl_fields[];
extern const int xb_nl_nfields;
extern const field_t xb_nl_device_fields[];
extern const int xb_nl_ndevfields;

/* Shared by sim/netlist*.c (defined in netlist_check.c). */
#define XB_NL_CLIP 64
/* User text for a message: s itself, or its first 57 bytes (cut at a character boundary) and
 * "..." in buf when it is longer than 60. */
const char *xb_nl_clip(const char *s, char buf[XB_NL_CLIP]);
int xb_nl_field_find(const field_t *t, int n, const char *path);         /* -1 if absent */
void xb_nl_names_list(const char *const *names, char *buf, size_t size); /* "a, b, c" */
/* "[1, 100000]", "(0, 1000]", "> 0", "<= 0" or "" (unbounded) for a numeric field. */
const char *xb_nl_range_text(const field_t *f, char *buf, size_t size);
int xb_nl_in_range(const field_t *f, double x);
/* Derived values after loading or --set: refrac auto, the dataset's files, the default name. */
struct xb_netlist;
void xb_nl_resolve(struct xb_netlist *nl);

extern const char *const xb_nl_layer_names[];
extern const char *const xb_nl_comp_names[];
extern const char *const xb_nl_mapping_names[];
extern const char *const xb_nl_packing_names[];
extern const char *const xb_nl_dataset_names[];
extern const char *const xb_nl_protect_names[];

#endif
