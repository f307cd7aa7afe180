/* xbarsim devices: how a synapse's stored value responds to an update, behind an ops table
 * chosen by name (chip.device.model). The hardware applies updates row- or column-wise, so
 * every operation works on a strided run of devices of one tile.
 *
 *   ideal   the reference: a continuous weight; commit clamps to [lo, hi].
 * Models with conductance levels, nonlinearity, noise and faults add a file and an entry in
 * the registry of device.c; callers do not change. */
#ifndef XB_DEVICE_H
#define XB_DEVICE_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct xb_device_ops {
    const char *name;
    /* Brings n devices at w[0], w[stride], ... that were just changed back into the device's
     * range [lo, hi] (and, for devices with levels, onto a level). */
    void (*commit)(float *w, int n, int stride, float lo, float hi);
} xb_device_ops_t;

/* The device model registered under `name`, or NULL. */
const xb_device_ops_t *xb_device_ops_find(const char *name);

#ifdef __cplusplus
}
#endif

#endif
