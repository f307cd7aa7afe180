/* xbarsim studies: the study's parts, shared by sim/study*.c only (see sim/study.h). */
#ifndef XB_STUDY_IMPL_H
#define XB_STUDY_IMPL_H

#include <stdint.h>

#include "sim/netlist.h"
#include "sim/study.h"

#define XB_STUDY_KEY_MAX 128 /* a key path                          */
#define XB_STUDY_ID_MAX 160  /* a point id                          */
#define XB_STUDY_MAX_SEEDS 10000
#define XB_STUDY_MAX_POINTS 100000
#define XB_STUDY_MAX_KEYS 64 /* set and swept keys together         */
#define XB_STUDY_MAX_REF 16  /* reference figures                   */

/* One value of a key: as a --set value (YAML flow text), its label, where it was given. */
typedef struct xb_study_value {
    char *text;  /* "64", "'a b'", "{model: linear, levels_ltp: 4}"; a base: its path */
    char *label; /* "64", "a b", ...; a base: the file name without .yaml           */
    int line, col;
} xb_study_value_t;

/* A key of `set` (one value) or a swept key (a grid key, or a key of a zip group). */
typedef struct xb_study_key {
    char path[XB_STUDY_KEY_MAX]; /* a netlist key path, or "base"                  */
    char short_name[XB_STUDY_KEY_MAX];
    int line, col; /* the key                                           */
    int axis;      /* swept: its axis; set: -1                          */
    int nvalues;
    xb_study_value_t *values;
} xb_study_key_t;

/* A reference figure: its column name, our figure, and one (mean, std) per row label. */
typedef struct xb_study_ref {
    char name[64], figure[64];
    int nrows;
    char **labels; /* row labels (values of the `by` key)  */
    double *mean, *std;
} xb_study_ref_t;

/* A point: one value index per axis, its id and its resolved netlist. */
typedef struct xb_study_point {
    char id[XB_STUDY_ID_MAX];
    int *choice;      /* per axis                                        */
    xb_netlist_t *nl; /* resolved (seed of the base)                     */
    char *yaml;       /* the resolved netlist without its seed line       */
} xb_study_point_t;

struct xb_study {
    char path[XB_PATH_MAX]; /* the study file as given                             */
    char dir[XB_PATH_MAX];  /* its directory (relative paths start here)           */
    char name[XB_NAME_MAX];
    char *text; /* the file's bytes (copied into DIR/study.yaml)            */
    size_t text_len;
    char base[XB_PATH_MAX]; /* "" : the embedded default                             */
    int base_line, base_col;
    xb_study_key_t keys[XB_STUDY_MAX_KEYS]; /* set keys first, then swept keys        */
    int nset, nkeys;                        /* keys[0..nset) set, [nset..nkeys) swept */
    int naxes;
    int axis_len[XB_STUDY_MAX_KEYS];
    uint64_t *seeds;
    int nseeds;
    char accuracy[64];
    /* reference */
    char ref_source[256];
    double ref_tol;
    int ref_by; /* swept key index (0-based among swept keys) or -1 */
    xb_study_ref_t refs[XB_STUDY_MAX_REF];
    int nrefs;
    /* expansion */
    xb_study_point_t *points;
    int npoints;
};

/* Swept key i (0-based among swept keys). */
static inline const xb_study_key_t *xb_study_swept_k(const xb_study_t *s, int i)
{
    return &s->keys[s->nset + i];
}

/* The resolved netlist as YAML: every field of the schema (sim/netlist_fields.c) with its
 * value; data files as absolute paths; the device as its preset name when it is that preset
 * unchanged, else inline. Checked by reading it back: the same netlist or XB_ESTATE. */
int xb_study_netlist_yaml(const xb_netlist_t *nl, char **yaml, xb_error_t *err);

/* A growing string (the studies' YAML and flow text); oom set when an allocation failed. */
typedef struct xb_sbuf {
    char *b;
    size_t n, cap;
    int oom;
} xb_sbuf_t;
void xb_sbuf_put(xb_sbuf_t *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The running xbarsim executable's path (sim/study_run.c); 0 when unknown. */
int xb_study_self_exe(char *buf, size_t size);

/* "point 3 (rows-64)" style names for messages. */
void xb_study_quote(const char *s, char *out, size_t size);

/* A file-name-safe label: [A-Za-z0-9._+-] kept, others '_'. Returns 1 when it changed s. */
int xb_study_safe(const char *s, char *out, size_t size);

/* The figures read from every report (sim/study_merge.c). */
typedef struct xb_study_figure {
    const char *name;   /* "best_voting"                                        */
    const char *header; /* the CSV header, with its unit: "best_voting_%"       */
    const char *path;   /* report.json path ("accuracy.all_voting"); NULL: derived */
    double scale;       /* CSV value = report value x scale                       */
    int accuracy;       /* 1: an accuracy (higher is better)                     */
} xb_study_figure_t;
extern const xb_study_figure_t xb_study_figures[];
extern const int xb_study_nfigures;
int xb_study_figure_find(const char *name); /* -1 if none */

#endif
