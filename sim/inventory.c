#include "sim/inventory.h"

#include <stdlib.h>
#include <string.h>

#include "sim/layer.h"
#include "sim/mapper.h"

static int ceil_div(int a, int b)
{
    return (a + b - 1) / b;
}

/* The growing arrays of the inventory under construction. */
typedef struct build {
    xb_inventory_t *inv;
    int cap_tiles, cap_pieces, cap_rows;
    int n_rows; /* piece rows so far */
    /* per tile under construction: its rows' keys (at most R) */
    int *tile_keys; /* packed feed-forward tiles: R each */
    int cap_keys;
    int *stamp; /* per key: the tile (+1) that last marked it */
    int nkeys;
} build_t;

static int grow(void **p, int *cap, int need, size_t elem)
{
    if (need <= *cap) return 1;
    int n = *cap ? *cap : 64;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, (size_t)n * elem);
    if (!q) return 0;
    *p = q;
    *cap = n;
    return 1;
}

static int add_tile(build_t *b, xb_tile_kind_t kind, int layer)
{
    xb_inventory_t *inv = b->inv;
    if (!grow((void **)&inv->tiles, &b->cap_tiles, inv->n_tiles + 1, sizeof *inv->tiles)) return -1;
    /* the rows' input lines, where pieces may share them (packed feed-forward tiles, which come
     * first) */
    if (kind == XB_TILE_FEEDFORWARD && inv->packing == XB_PACK_PACKED &&
        ((long long)(inv->n_tiles + 1) * inv->tile_rows > 0x7fffffff ||
         !grow((void **)&b->tile_keys, &b->cap_keys, (inv->n_tiles + 1) * inv->tile_rows,
               sizeof(int))))
        return -1;
    xb_inv_tile_t *t = &inv->tiles[inv->n_tiles];
    memset(t, 0, sizeof *t);
    t->kind = kind;
    t->layer = layer;
    return inv->n_tiles++;
}

/* Places piece pi (its row keys in keys[0 .. n)) on tile t: tile rows for keys the tile does
 * not carry yet (shared: keys it carries reuse their rows). */
static void place(build_t *b, int pi, int t, const int *keys, int n, int shared)
{
    xb_inventory_t *inv = b->inv;
    xb_inv_tile_t *tile = &inv->tiles[t];
    xb_inv_piece_t *p = &inv->pieces[pi];
    int *tk = b->tile_keys + (size_t)t * inv->tile_rows;
    p->tile = t;
    p->col = tile->cols_used;
    if (p->row_at < 0) { /* rows of its own, after the tile's used rows (block-diagonal) */
        int64_t cells = (int64_t)n * (p->c1 - p->c0);
        if (tile->kind == XB_TILE_INHIBITION) {
            /* a neuron does not inhibit itself: no device on the group's diagonal */
            int lo = p->r0 > p->c0 ? p->r0 : p->c0, hi = p->r1 < p->c1 ? p->r1 : p->c1;
            if (hi > lo) cells -= hi - lo;
        }
        tile->rows_used += n;
        tile->cols_used += p->c1 - p->c0;
        tile->devices += cells * (tile->kind == XB_TILE_FEEDFORWARD ? inv->per_weight : 1);
        return;
    }
    for (int i = 0; i < n; i++) {
        int row = -1;
        if (shared)
            for (int r = 0; r < tile->rows_used; r++)
                if (tk[r] == keys[i]) {
                    row = r;
                    break;
                }
        if (row < 0) {
            row = tile->rows_used++;
            tk[row] = keys[i];
        }
        inv->piece_rows[p->row_at + i] = row;
    }
    tile->cols_used += p->c1 - p->c0;
    tile->devices += (int64_t)n * (p->c1 - p->c0) *
                     (tile->kind == XB_TILE_FEEDFORWARD ? inv->per_weight : 1);
}

/* How many of keys[0 .. n) tile t does not carry. */
static int new_rows(build_t *b, int t, const int *keys, int n)
{
    const xb_inv_tile_t *tile = &b->inv->tiles[t];
    const int *tk = b->tile_keys + (size_t)t * b->inv->tile_rows;
    for (int r = 0; r < tile->rows_used; r++)
        b->stamp[tk[r]] = t + 1;
    int fresh = 0;
    for (int i = 0; i < n; i++)
        fresh += b->stamp[keys[i]] != t + 1;
    for (int r = 0; r < tile->rows_used; r++)
        b->stamp[tk[r]] = 0;
    return fresh;
}

/* Adds the pieces of nblocks blocks of rows x cols, cut by the tile size, and places them.
 * key(block, row) gives a row's input line (for sharing). */
static int add_pieces(build_t *b, xb_tile_kind_t kind, int layer, int nblocks, int rows, int cols,
                      const int *keys_of_block, int key_stride, int shared_rows, int *first_piece,
                      int *first_tile)
{
    xb_inventory_t *inv = b->inv;
    /* a tile's columns for this kind: feed-forward weights on pairs take two bit lines each */
    const int R = inv->tile_rows, C = kind == XB_TILE_FEEDFORWARD ? inv->ff_cols : inv->tile_cols;
    const int nrt = ceil_div(rows, R), nct = ceil_div(cols, C);
    *first_piece = inv->n_pieces;
    *first_tile = inv->n_tiles;
    int open_first = inv->n_tiles; /* packed: tiles of this kind that may take more */
    for (int blk = 0; blk < nblocks; blk++)
        for (int rt = 0; rt < nrt; rt++)
            for (int ct = 0; ct < nct; ct++) {
                const int r0 = rt * R, r1 = r0 + R < rows ? r0 + R : rows;
                const int c0 = ct * C, c1 = c0 + C < cols ? c0 + C : cols;
                const int n = r1 - r0, w = c1 - c0;
                /* tile rows are listed only where pieces may share rows (packed feed-forward) */
                const int listed = inv->packing == XB_PACK_PACKED && shared_rows;
                const int row_at = listed ? b->n_rows : -1;
                if (!grow((void **)&inv->pieces, &b->cap_pieces, inv->n_pieces + 1,
                          sizeof *inv->pieces) ||
                    (listed &&
                     !grow((void **)&inv->piece_rows, &b->cap_rows, row_at + n, sizeof(int))))
                    return -1;
                if (listed) b->n_rows += n;
                const int pi = inv->n_pieces++;
                xb_inv_piece_t *p = &inv->pieces[pi];
                *p = (xb_inv_piece_t){blk, r0, r1, c0, c1, -1, 0, row_at};
                const int *keys = keys_of_block + (size_t)blk * key_stride + r0;
                int t = -1;
                if (inv->packing == XB_PACK_PACKED)
                    for (int c = open_first; c < inv->n_tiles && t < 0; c++) {
                        const xb_inv_tile_t *tile = &inv->tiles[c];
                        if (tile->cols_used + w > C) continue;
                        int fresh = shared_rows ? new_rows(b, c, keys, n) : n;
                        if (tile->rows_used + fresh <= R) t = c;
                    }
                if (t < 0 && (t = add_tile(b, kind, layer)) < 0) return -1;
                place(b, pi, t, keys, n, shared_rows);
                while (open_first < inv->n_tiles && inv->tiles[open_first].cols_used == C)
                    open_first++;
            }
    return 0;
}

/* Lists every tile's pieces in tile order (tile_pieces), pieces of one tile in piece order. */
static int list_tile_pieces(xb_inventory_t *inv)
{
    inv->tile_pieces = malloc(sizeof(int) * (size_t)(inv->n_pieces ? inv->n_pieces : 1));
    int *fill = calloc((size_t)inv->n_tiles + 1, sizeof(int));
    if (!inv->tile_pieces || !fill) {
        free(fill);
        return -1;
    }
    for (int i = 0; i < inv->n_pieces; i++)
        inv->tiles[inv->pieces[i].tile].n_pieces++;
    int at = 0;
    for (int t = 0; t < inv->n_tiles; t++) {
        inv->tiles[t].list_first = at;
        fill[t] = at;
        at += inv->tiles[t].n_pieces;
    }
    for (int i = 0; i < inv->n_pieces; i++)
        inv->tile_pieces[fill[inv->pieces[i].tile]++] = i;
    free(fill);
    return 0;
}

long long xb_map_pieces(const xb_netlist_t *nl, xb_conv_mapping_t mapping)
{
    const xb_layer_ops_t *ops = xb_layer_ops(nl->layer.type);
    const long long k = ops->field(nl), side = ops->side(nl), ch = nl->layer.channels;
    const long long R = nl->chip.tile_rows, C = nl->chip.tile_cols, Cf = xb_map_ff_cols(nl);
    long long n = ops->blocks(nl, mapping) * ((k * k + R - 1) / R) * ((ch + Cf - 1) / Cf);
    if (nl->competition.mode == XB_COMP_LEARNED)
        n += side * side * ((ch + R - 1) / R) * ((ch + C - 1) / C);
    return n;
}

int xb_map_inventory(const xb_netlist_t *nl, xb_conv_mapping_t mapping, xb_packing_t packing,
                     xb_inventory_t *inv, xb_error_t *err)
{
    memset(inv, 0, sizeof *inv);
    int rc0 = xb_map_check(nl, err);
    if (rc0 != XB_OK) return rc0;
    const long long npieces = xb_map_pieces(nl, mapping);
    if (npieces > XB_INVENTORY_MAX_PIECES)
        return xb_netlist_field_error(nl, err, XB_EINVAL, "chip.tile.rows",
                                      "%lld pieces on %d x %d tiles: a chip this large can be "
                                      "counted but not built (at most %lld pieces); use larger "
                                      "tiles or a smaller network",
                                      npieces, nl->chip.tile_rows, nl->chip.tile_cols,
                                      XB_INVENTORY_MAX_PIECES);
    const xb_layer_ops_t *ops = xb_layer_ops(nl->layer.type);
    build_t b;
    memset(&b, 0, sizeof b);
    b.inv = inv;
    inv->tile_rows = nl->chip.tile_rows;
    inv->tile_cols = nl->chip.tile_cols;
    inv->per_weight = nl->chip.device.pair ? 2 : 1;
    inv->ff_cols = xb_map_ff_cols(nl);
    inv->packing = packing;
    inv->n_layers = 1;
    inv->layers = calloc(1, sizeof *inv->layers);
    if (!inv->layers) goto nomem;
    xb_inv_layer_t *L = &inv->layers[0];
    L->kind = nl->layer.type;
    L->crop = nl->input.crop;
    L->kernel = ops->field(nl);
    L->stride = nl->layer.stride;
    L->side = ops->side(nl);
    L->positions = L->side * L->side;
    L->channels = nl->layer.channels;
    L->rows = L->kernel * L->kernel;
    L->inputs = L->crop * L->crop;
    L->neurons = (int64_t)L->positions * L->channels;
    L->blocks = ops->blocks(nl, mapping);
    L->tied = ops->tied;
    const int R = inv->tile_rows, C = inv->tile_cols, P = L->positions, K = L->rows;
    L->row_cuts = ceil_div(K, R);
    L->col_cuts = ceil_div(L->channels, inv->ff_cols);
    L->pixel = malloc(sizeof(int) * (size_t)P * K);
    if (!L->pixel) goto nomem;
    for (int p = 0; p < P; p++)
        for (int r = 0; r < K; r++)
            L->pixel[(size_t)p * K + r] = xb_layer_pixel(nl, p, r);
    /* row keys: a block per position reads its position's input lines; a block serving every
     * position (shared conv) drives its own time-multiplexed lines, keyed after the inputs;
     * fc's one position reads the lines themselves */
    const int per_position = L->blocks == P;
    b.nkeys = L->inputs + K;
    int *keys = malloc(sizeof(int) * (size_t)L->blocks * K);
    b.stamp = calloc((size_t)b.nkeys, sizeof(int));
    if (!keys || !b.stamp) {
        free(keys);
        goto nomem;
    }
    for (int blk = 0; blk < L->blocks; blk++)
        for (int r = 0; r < K; r++)
            keys[(size_t)blk * K + r] =
                per_position ? L->pixel[(size_t)blk * K + r] : L->inputs + r;
    int rc = add_pieces(&b, XB_TILE_FEEDFORWARD, 0, L->blocks, K, L->channels, keys, K, 1,
                        &L->piece_first, &L->tile_first);
    free(keys);
    if (rc < 0) goto nomem;
    L->n_pieces = inv->n_pieces - L->piece_first;
    L->n_tiles = inv->n_tiles - L->tile_first;
    L->ff_synapses = ops->ff_synapses(nl);
    L->ff_devices = (int64_t)L->blocks * K * L->channels * inv->per_weight;

    /* competition: a group per position (fc: its one position); learned competition has an
     * inhibition crossbar of group x group devices (diagonal unused) per group */
    L->groups = P;
    L->group_size = L->channels;
    L->comp_synapses = (int64_t)P * L->channels * (L->channels - 1);
    L->comp_learned = nl->competition.mode == XB_COMP_LEARNED;
    L->comp_piece_first = inv->n_pieces;
    L->comp_tile_first = inv->n_tiles;
    if (L->comp_learned) {
        int *ck = malloc(sizeof(int) * (size_t)L->channels);
        if (!ck) goto nomem;
        for (int i = 0; i < L->channels; i++)
            ck[i] = i; /* no row sharing between inhibition pieces */
        rc = add_pieces(&b, XB_TILE_INHIBITION, 0, P, L->channels, L->channels, ck, 0, 0,
                        &L->comp_piece_first, &L->comp_tile_first);
        free(ck);
        if (rc < 0) goto nomem;
        L->comp_row_cuts = ceil_div(L->channels, R);
        L->comp_col_cuts = ceil_div(L->channels, C);
        L->comp_devices = L->comp_synapses;
    }
    L->n_comp_pieces = inv->n_pieces - L->comp_piece_first;
    L->n_comp_tiles = inv->n_tiles - L->comp_tile_first;
    if (list_tile_pieces(inv) < 0) goto nomem;

    /* the chip's blocks */
    inv->update_circuits = L->n_tiles;
    inv->neuron_cores = P;
    inv->buses = L->groups;
    inv->inhibition_crossbars = L->comp_learned ? L->groups : 0;
    const __typeof__(nl->chip.periphery) *pe = &nl->chip.periphery;
    inv->adc_cols = pe->adc_bits > 0 ? (pe->adc_cols < C ? pe->adc_cols : C) : 0;
    for (int t = 0; t < inv->n_tiles; t++)
        inv->devices += inv->tiles[t].devices;
    xb_inventory_totals(inv);
    free(b.tile_keys);
    free(b.stamp);
    return XB_OK;
nomem:
    free(b.tile_keys);
    free(b.stamp);
    xb_inventory_free(inv);
    return xb_error_set(err, XB_ENOMEM, "out of memory for the chip's inventory");
}

void xb_inventory_totals(xb_inventory_t *inv)
{
    const int R = inv->tile_rows, C = inv->tile_cols;
    inv->adcs = inv->adc_cols ? (int64_t)inv->n_tiles * ceil_div(C, inv->adc_cols) : 0;
    inv->row_drivers = (int64_t)inv->n_tiles * R;
    inv->router_ports = (int64_t)inv->n_tiles + inv->neuron_cores;
    const int64_t cells = (int64_t)inv->n_tiles * R * C;
    inv->idle_devices = cells - inv->devices;
    inv->utilisation = cells ? (double)inv->devices / (double)cells : 0;
}
