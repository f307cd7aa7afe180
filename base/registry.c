#include "base/registry.h"

#include <stdio.h>
#include <string.h>

const char *xb_registry_name(const xb_registry_t *r, int i)
{
    return *(const char *const *)r->entries[i];
}

const void *xb_registry_find(const xb_registry_t *r, const char *name)
{
    for (int i = 0; i < r->count; i++)
        if (!strcmp(xb_registry_name(r, i), name)) return r->entries[i];
    return NULL;
}

const char *xb_registry_list(const xb_registry_t *r, char *buf, size_t size)
{
    if (!size) return buf;
    buf[0] = 0;
    for (int i = 0; i < r->count; i++) {
        size_t len = strlen(buf);
        snprintf(buf + len, size - len, "%s%s", i ? ", " : "", xb_registry_name(r, i));
    }
    return buf;
}
