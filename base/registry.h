/* xbarsim registries: pluggable behaviour chosen by name (device models, learning rules, spike
 * encoders, layer types). A registry lists tables of operations whose first member is their
 * name (`const char *name`); adding a model adds its table to one registry, and everything
 * that needs the names (the netlist schema, its error messages) asks the registry. */
#ifndef XB_REGISTRY_H
#define XB_REGISTRY_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct xb_registry {
    const void *const *entries; /* each points to a table starting with const char *name */
    int count;
} xb_registry_t;

/* The entry named `name`, or NULL. */
const void *xb_registry_find(const xb_registry_t *r, const char *name);

/* The name of entry i (0 <= i < count). */
const char *xb_registry_name(const xb_registry_t *r, int i);

/* "a, b, c" into buf (truncated to size); returns buf. */
const char *xb_registry_list(const xb_registry_t *r, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif
