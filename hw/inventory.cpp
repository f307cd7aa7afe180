// The inventory's arrays are allocated by the mapper with malloc.
#include "hw/inventory.h"

#include <cstdlib>
#include <cstring>

extern "C" void xb_inventory_free(xb_inventory_t *inv)
{
    if (!inv) return;
    for (int l = 0; inv->layers && l < inv->n_layers; l++)
        std::free(inv->layers[l].pixel);
    std::free(inv->layers);
    std::free(inv->tiles);
    std::free(inv->pieces);
    std::free(inv->piece_rows);
    std::free(inv->tile_pieces);
    std::memset(inv, 0, sizeof *inv);
}
