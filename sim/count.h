/* xbarsim count: synapse / device / tile accounting of netlists, as a table or JSON. */
#ifndef XB_COUNT_H
#define XB_COUNT_H

#include <stdio.h>

#include "sim/json.h"
#include "sim/mapper.h"
#include "sim/netlist.h"

/* The accounting object of one netlist (what `count --json` prints per netlist, and what
 * report.json embeds): netlist, neurons, synapses{...}, mapping, tile, devices, tiles,
 * utilisation, and by_mapping{replicate, shared} for conv layers. */
void xb_counts_write_json(xb_json_t *j, const xb_netlist_t *nl, const xb_map_counts_t *c);

/* Header, one row per netlist, footnotes. */
void xb_counts_print_header(FILE *f);
void xb_counts_print_row(FILE *f, const xb_netlist_t *nl, const xb_map_counts_t *c);
void xb_counts_print_footer(FILE *f);
/* One line per netlist: its area and static power, by component. */
void xb_counts_print_area(FILE *f, const xb_netlist_t *nl, const xb_map_counts_t *c);

/* The area object of count --json and report.json: total_mm2, tile_mm2, by_component,
 * by_block (mm^2), static_W, static_by_component_W. */
void xb_area_write_json(xb_json_t *j, const xb_area_t *a);

/* "1 234 567" (thin groups of three, as in the paper's tables) into buf; returns buf. */
const char *xb_group_digits(long long v, char *buf, size_t size);

#endif
