/* xbarsim layer types: everything that depends on the kind of layer (lc, conv, fc), in one
 * table of operations per kind, so that the netlist, the mapper and the run ask it instead of
 * branching on the type.
 *
 *   kind  positions per side        input lines per block  blocks (own mapping)   feed-forward
 * synapses lc    (crop - k) / stride + 1   k^2                    positions              pos * ch *
 * k^2 conv  (crop - k) / stride + 1   k^2                    positions (replicate)  ch * k^2
 * (shared or 1 (shared)          weights) fc    1                         crop^2                 1
 * ch * crop^2 Row r of position p (r = ry * k + rx) reads input line (py * stride + ry) * crop + px
 * * stride
 * + rx (fc: line r). Seed 003's Table 2 counted differently where `thesis_total` says so. */
#ifndef XB_LAYER_H
#define XB_LAYER_H

#include <stdint.h>

#include "hw/inventory.h"
#include "sim/netlist.h"

typedef struct xb_layer_ops {
    const char *name;
    /* the receptive field side: the kernel (fc: the whole crop) */
    int (*field)(const xb_netlist_t *nl);
    /* positions per side */
    int (*side)(const xb_netlist_t *nl);
    /* feed-forward blocks under a conv mapping */
    int (*blocks)(const xb_netlist_t *nl, xb_conv_mapping_t mapping);
    /* logical feed-forward synapses */
    int64_t (*ff_synapses)(const xb_netlist_t *nl);
    /* seed 003's Table 2 figure, or -1 where it counted like us */
    int64_t (*thesis_total)(const xb_netlist_t *nl, int64_t ff, int64_t comp);
    int tied;              /* blocks share one kernel (updates summed over positions)   */
    int mappings;          /* has conv mappings (replicate, shared)                     */
    int whole_input;       /* one position seeing the whole crop (kernel = crop)        */
    const char *field_key; /* the netlist key that sets the receptive field           */
    int default_refrac;    /* steps (SCIENCE.md: 2 for lc, 5 for conv and fc)          */
    int norm_per_kernel;   /* auto normalisation per kernel (else per neuron)         */
    int norm_at_init;      /* auto: normalise at construction                          */
} xb_layer_ops_t;

/* The operations of a layer kind (never NULL for a valid kind). */
const xb_layer_ops_t *xb_layer_ops(xb_layer_kind_t kind);

/* Input line of row r of position p. */
int xb_layer_pixel(const xb_netlist_t *nl, int p, int r);

#endif
