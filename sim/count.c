#include "sim/count.h"

#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cli.h"
#include "sim/layer.h"
#include "sim/netlist_fields.h"
#include "sim/data.h"

const char *xb_group_digits(long long v, char *buf, size_t size)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%lld", v < 0 ? -v : v);
    size_t o = 0;
    if (v < 0 && o + 1 < size) buf[o++] = '-';
    for (int i = 0; i < n && o + 1 < size; i++) {
        if (i > 0 && (n - i) % 3 == 0 && o + 1 < size) buf[o++] = ' ';
        if (o + 1 < size) buf[o++] = digits[i];
    }
    buf[o] = 0;
    return buf;
}

static void cost_json(xb_json_t *j, const xb_map_cost_t *m)
{
    xb_json_key(j, "devices");
    xb_json_int(j, m->devices);
    xb_json_key(j, "tiles");
    xb_json_int(j, m->tiles);
    xb_json_key(j, "utilisation");
    xb_json_double(j, m->utilisation);
    xb_json_key(j, "idle_devices");
    xb_json_int(j, m->idle_devices);
    xb_json_key(j, "feedforward_devices");
    xb_json_int(j, m->ff_devices);
    xb_json_key(j, "competition_devices");
    xb_json_int(j, m->comp_devices);
    xb_json_key(j, "feedforward_tiles");
    xb_json_int(j, m->ff_tiles);
    xb_json_key(j, "competition_tiles");
    xb_json_int(j, m->comp_tiles);
    xb_json_key(j, "update_circuits");
    xb_json_int(j, m->update_circuits);
    xb_json_key(j, "neuron_cores");
    xb_json_int(j, m->neuron_cores);
    xb_json_key(j, "buses");
    xb_json_int(j, m->buses);
}

void xb_area_write_json(xb_json_t *j, const xb_area_t *a)
{
    xb_json_begin_object(j);
    xb_json_key(j, "total_mm2");
    xb_json_double(j, a->total_mm2);
    xb_json_key(j, "tile_mm2");
    xb_json_double(j, a->tile_mm2);
    xb_json_key(j, "by_component");
    xb_json_begin_object(j);
    for (int k = 0; k < XB_AREA_N; k++) {
        xb_json_key(j, xb_area_names[k]);
        xb_json_double(j, a->by_component[k]);
    }
    xb_json_end_object(j);
    xb_json_key(j, "by_block");
    xb_json_begin_object(j);
    for (int k = 0; k < XB_AREA_BLOCK_N; k++) {
        xb_json_key(j, xb_area_block_names[k]);
        xb_json_double(j, a->by_block[k]);
    }
    xb_json_end_object(j);
    xb_json_key(j, "static_W");
    xb_json_double(j, a->static_W);
    xb_json_key(j, "static_by_component_W");
    xb_json_begin_object(j);
    for (int k = 0; k < XB_AREA_N; k++) {
        xb_json_key(j, xb_area_names[k]);
        xb_json_double(j, a->static_by_component[k]);
    }
    xb_json_end_object(j);
    xb_json_end_object(j);
}

void xb_counts_write_json(xb_json_t *j, const xb_netlist_t *nl, const xb_map_counts_t *c)
{
    xb_json_begin_object(j);
    xb_json_key(j, "netlist");
    xb_json_string(j, nl->path);
    xb_json_key(j, "name");
    xb_json_string(j, nl->name);
    xb_json_key(j, "type");
    xb_json_string(j, xb_layer_type_name(nl->layer.type));
    xb_json_key(j, "channels");
    xb_json_int(j, nl->layer.channels);
    xb_json_key(j, "kernel");
    xb_json_int(j, nl->layer.kernel);
    xb_json_key(j, "positions");
    xb_json_int(j, c->positions);
    xb_json_key(j, "neurons");
    xb_json_int(j, c->neurons);
    xb_json_key(j, "synapses");
    xb_json_begin_object(j);
    xb_json_key(j, "feedforward");
    xb_json_int(j, c->ff_synapses);
    xb_json_key(j, "competition");
    xb_json_int(j, c->comp_synapses);
    xb_json_key(j, "total");
    xb_json_int(j, c->total_synapses);
    if (c->thesis_total >= 0) {
        xb_json_key(j, "thesis_total");
        xb_json_int(j, c->thesis_total);
    }
    xb_json_end_object(j);
    xb_json_key(j, "mapping");
    xb_json_string(j, xb_layer_ops(nl->layer.type)->mappings
                          ? xb_conv_mapping_name(nl->chip.conv_mapping)
                          : "dedicated");
    xb_json_key(j, "packing");
    xb_json_string(j, xb_nl_packing_names[nl->chip.packing]);
    xb_json_key(j, "tile");
    xb_json_begin_object(j);
    xb_json_key(j, "rows");
    xb_json_int(j, nl->chip.tile_rows);
    xb_json_key(j, "cols");
    xb_json_int(j, nl->chip.tile_cols);
    xb_json_end_object(j);
    xb_json_key(j, "tech");
    xb_json_begin_object(j);
    xb_json_key(j, "node_nm");
    xb_json_double(j, nl->chip.tech.node_nm);
    xb_json_key(j, "vdd");
    xb_json_double(j, nl->chip.tech.vdd);
    xb_json_key(j, "cell_F2");
    xb_json_double(j, nl->chip.device.cell_F2);
    xb_json_end_object(j);
    cost_json(j, &c->own);
    xb_json_key(j, "area");
    xb_area_write_json(j, &c->area);
    if (xb_layer_ops(nl->layer.type)->mappings) {
        xb_json_key(j, "by_mapping");
        xb_json_begin_object(j);
        xb_json_key(j, "replicate");
        xb_json_begin_object(j);
        cost_json(j, &c->replicate);
        xb_json_end_object(j);
        xb_json_key(j, "shared");
        xb_json_begin_object(j);
        cost_json(j, &c->shared);
        xb_json_end_object(j);
        xb_json_end_object(j);
    }
    xb_json_end_object(j);
}

#define ROW_FMT "%-26s %-4s %5s %3s %4s %8s %12s %12s %12s %12s  %-9s %-6s %9s %12s %7s %6s %9s\n"

void xb_counts_print_header(FILE *f)
{
    fprintf(f, ROW_FMT, "netlist", "type", "ch", "k", "pos", "neurons", "feedforward",
            "competition", "total", "thesis(1)", "mapping", "pack", "tile", "devices", "tiles",
            "util", "area mm2");
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static void cost_row(FILE *f, const char *label, const xb_netlist_t *nl, const char *mapping,
                     const xb_map_cost_t *m)
{
    char dev[32], tile[32], util[16], tiles[32];
    snprintf(tile, sizeof tile, "%dx%d", nl->chip.tile_rows, nl->chip.tile_cols);
    snprintf(util, sizeof util, "%.1f%%", 100.0 * m->utilisation);
    fprintf(f, ROW_FMT, label, "", "", "", "", "", "", "", "", "", mapping,
            xb_nl_packing_names[nl->chip.packing], tile,
            xb_group_digits(m->devices, dev, sizeof dev),
            xb_group_digits(m->tiles, tiles, sizeof tiles), util, "");
}

void xb_counts_print_row(FILE *f, const xb_netlist_t *nl, const xb_map_counts_t *c)
{
    char ch[16], k[16], pos[16], neu[32], ff[32], comp[32], tot[32], th[32], dev[32], tiles[32];
    char tile[32], util[16], name[64], area[32];
    snprintf(area, sizeof area, "%.4f", c->area.total_mm2);
    snprintf(name, sizeof name, "%.26s", nl->name[0] ? nl->name : base_name(nl->path));
    snprintf(ch, sizeof ch, "%d", nl->layer.channels);
    snprintf(k, sizeof k, "%d", nl->layer.kernel);
    snprintf(pos, sizeof pos, "%d", c->positions);
    snprintf(tile, sizeof tile, "%dx%d", nl->chip.tile_rows, nl->chip.tile_cols);
    snprintf(util, sizeof util, "%.1f%%", 100.0 * c->own.utilisation);
    const char *mapping = xb_layer_ops(nl->layer.type)->mappings
                              ? xb_conv_mapping_name(nl->chip.conv_mapping)
                              : "dedicated";
    fprintf(f, ROW_FMT, name, xb_layer_type_name(nl->layer.type), ch, k, pos,
            xb_group_digits(c->neurons, neu, sizeof neu),
            xb_group_digits(c->ff_synapses, ff, sizeof ff),
            xb_group_digits(c->comp_synapses, comp, sizeof comp),
            xb_group_digits(c->total_synapses, tot, sizeof tot),
            c->thesis_total >= 0 ? xb_group_digits(c->thesis_total, th, sizeof th) : "-", mapping,
            xb_nl_packing_names[nl->chip.packing], tile,
            xb_group_digits(c->own.devices, dev, sizeof dev),
            xb_group_digits(c->own.tiles, tiles, sizeof tiles), util, area);
    if (xb_layer_ops(nl->layer.type)->mappings) {
        int shared_own = nl->chip.conv_mapping == XB_MAP_SHARED;
        cost_row(f, "", nl, shared_own ? "replicate" : "shared",
                 shared_own ? &c->replicate : &c->shared);
    }
}

void xb_counts_print_area(FILE *f, const xb_netlist_t *nl, const xb_map_counts_t *c)
{
    const xb_area_t *a = &c->area;
    fprintf(f, "\n%s: %.4f mm^2 at %g nm (%g F^2 cells), static %.3g W; by component:",
            nl->name[0] ? nl->name : base_name(nl->path), a->total_mm2, nl->chip.tech.node_nm,
            nl->chip.device.cell_F2, a->static_W);
    for (int k = 0; k < XB_AREA_N; k++)
        fprintf(f, "%s %s %.4g mm^2 (%.1f %%)", k ? "," : "", xb_area_names[k], a->by_component[k],
                a->total_mm2 > 0 ? 100 * a->by_component[k] / a->total_mm2 : 0);
    fputc('\n', f);
}

void xb_counts_print_footer(FILE *f)
{
    fprintf(f, "\nLogical synapses: lc ch*pos*k^2, conv ch*k^2 (shared weights), fc ch*crop^2 "
               "feed-forward;\n"
               "competition pos*ch*(ch-1) (fc ch*(ch-1)). Devices: feed-forward devices of the "
               "mapping,\nplus ch*(ch-1) inhibition devices per position when competition is "
               "learned\n(fixed competition is a digital register). Tiles: block packing puts "
               "each position's block\non its own ceil(rows/R) x ceil(cols/C) tiles; packed "
               "packs pieces side by side\n(sim/inventory.h). util = devices / (tiles*R*C).\n"
               "area: the chip at chip.tech.node_nm, every component from a cited figure (xbarsim "
               "schema:\n    chip.area.*, sim/area.h).\n"
               "(1) thesis: the figure of seed 003's Table 2 where it counted differently (conv: "
               "k^2 shared\n    weights counted once; fc: multiplied by 9 positions); '-' where "
               "it equals total.\n");
}

/* Loads every netlist first, so a bad one prints nothing but its error. */
static int count_files(const xb_cli_opts_t *o, const char **files, int nfiles, FILE *out)
{
    xb_error_t err;
    xb_error_clear(&err);
    int n = nfiles > 0 ? nfiles : 1;
    xb_netlist_t *nls = calloc((size_t)n, sizeof *nls);
    xb_map_counts_t *cs = calloc((size_t)n, sizeof *cs);
    int rc = (nls && cs) ? XB_OK : xb_error_set(&err, XB_ENOMEM, "out of memory");
    for (int i = 0; rc == XB_OK && i < n; i++) {
        rc = xb_cli_load(nfiles > 0 ? files[i] : NULL, o, &nls[i], &err);
        if (rc == XB_OK) rc = xb_map_count(&nls[i], &cs[i], &err);
    }
    if (rc == XB_OK && o->json) {
        xb_json_t j;
        xb_json_init(&j, out);
        xb_json_begin_array(&j);
        for (int i = 0; i < n; i++)
            xb_counts_write_json(&j, &nls[i], &cs[i]);
        xb_json_end_array(&j);
        xb_json_finish(&j);
    } else if (rc == XB_OK) {
        xb_counts_print_header(out);
        for (int i = 0; i < n; i++)
            xb_counts_print_row(out, &nls[i], &cs[i]);
        xb_counts_print_footer(out);
        for (int i = 0; i < n; i++)
            xb_counts_print_area(out, &nls[i], &cs[i]);
    }
    if (rc != XB_OK) xb_error_print(&err, stderr);
    free(nls);
    free(cs);
    return xb_cli_exit_status(rc);
}

int xb_cmd_count(int argc, char **argv)
{
    xb_cli_opts_t o;
    xb_error_t err;
    xb_error_clear(&err);
    if (xb_cli_parse(argc, argv, 2, "set json paper", &o, &err) != XB_OK) {
        xb_error_print(&err, stderr);
        return XB_EXIT_INPUT;
    }
    if (o.help) {
        printf("usage: xbarsim count [--json] [--paper] [--set key.path=value]... "
               "[NETLIST.yaml]...\n"
               "Neurons, logical synapses, physical devices, tiles and utilisation of each\n"
               "netlist (the embedded default when none is given; --paper: the twelve\n"
               "networks of the paper's Table 2 in netlists/paper/).\n");
        return XB_EXIT_OK;
    }
    if (!o.paper) return count_files(&o, o.files, o.nfiles, stdout);
    char pattern[1024];
    snprintf(pattern, sizeof pattern, "%s/netlists/paper/*.yaml", xb_cli_home());
    glob_t g;
    if (glob(pattern, 0, NULL, &g) != 0 || g.gl_pathc == 0) {
        fprintf(stderr, "xbarsim: no paper netlists found (%s)\n", pattern);
        return XB_EXIT_FAIL;
    }
    if (!o.json)
        printf("Synapse, device and tile counts of the paper's networks (seed 003, Table 2)\n\n");
    int status = count_files(&o, (const char **)g.gl_pathv, (int)g.gl_pathc, stdout);
    globfree(&g);
    return status;
}

int xb_cmd_check(int argc, char **argv)
{
    xb_cli_opts_t o;
    xb_error_t err;
    xb_error_clear(&err);
    if (xb_cli_parse(argc, argv, 2, "set", &o, &err) != XB_OK) {
        xb_error_print(&err, stderr);
        return XB_EXIT_INPUT;
    }
    if (o.help) {
        printf("usage: xbarsim check [--set key.path=value]... [NETLIST.yaml]...\n"
               "Validates netlists (none: the embedded default) and the headers of their data\n"
               "files (present, IDX, counts, image sizes, pool sizes); prints 'NETLIST: ok' for\n"
               "each good one.\n");
        return XB_EXIT_OK;
    }
    int status = XB_EXIT_OK;
    for (int i = 0; i < (o.nfiles ? o.nfiles : 1); i++) {
        xb_netlist_t nl;
        const char *file = o.nfiles ? o.files[i] : NULL;
        int rc = xb_cli_load(file, &o, &nl, &err);
        xb_data_plan_t plan;
        if (rc == XB_OK) rc = xb_data_validate(&nl, &plan, &err);
        if (rc == XB_OK) {
            printf("%s: ok\n", file ? file : "<default>");
        } else {
            xb_error_print(&err, stderr);
            status = xb_cli_exit_status(rc);
        }
    }
    return status;
}

int xb_cmd_schema(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    xb_netlist_print_schema(stdout);
    return XB_EXIT_OK;
}
