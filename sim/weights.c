#include "sim/weights.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "sim/fsio.h"

#define NGEOM 10
#define V1_HEADER_BYTES (4 + 4 * NGEOM)
#define OFF_PAYLOAD_BYTES 44
#define OFF_PAYLOAD_CRC 52
#define OFF_HEADER_CRC 56
/* float rounding of the normalisation's scaling */
#define RANGE_TOL 1e-5

static const char *const geom_names[NGEOM] = {"layer",
                                              "crop",
                                              "kernel",
                                              "stride",
                                              "channels",
                                              "blocks",
                                              "rows",
                                              "neurons",
                                              "competition groups",
                                              "competition group size"};

/* The ten int32 that identify the network a file was written for. */
typedef struct geom {
    int32_t v[NGEOM];
} geom_t;

/* The chip's arrays and their sizes. */
typedef struct arrays {
    float *ff, *theta, *comp;
    size_t nff, ntheta, ncomp;
} arrays_t;

static void geom_of(const xb_netlist_t *nl, xb_chip_t *chip, geom_t *g, arrays_t *a)
{
    int b, rows, cols, groups = 0, n = 0;
    xb_chip_ff_shape(chip, &b, &rows, &cols);
    a->comp = xb_chip_comp_weights(chip, &groups, &n);
    if (!a->comp) groups = n = 0;
    const int32_t v[NGEOM] = {(int32_t)nl->layer.type,
                              nl->input.crop,
                              nl->layer.kernel,
                              nl->layer.stride,
                              cols,
                              b,
                              rows,
                              xb_chip_neurons(chip),
                              groups,
                              n};
    memcpy(g->v, v, sizeof v);
    a->ff = xb_chip_ff_weights(chip);
    a->theta = xb_chip_theta(chip);
    a->nff = (size_t)b * (size_t)rows * (size_t)cols;
    a->ntheta = (size_t)xb_chip_neurons(chip);
    a->ncomp = (size_t)groups * (size_t)n * (size_t)n;
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t crc_of(uint32_t crc, const unsigned char *p, size_t n)
{
    while (n > 0) {
        uInt k = n > UINT_MAX ? UINT_MAX : (uInt)n;
        crc = (uint32_t)crc32(crc, p, k);
        p += k;
        n -= k;
    }
    return crc;
}

void xb_weights_ff_range(const xb_netlist_t *nl, int rows, double *lo, double *hi)
{
    const double wmin = nl->stdp.wmin, wmax = nl->stdp.wmax;
    double a = wmin, b = wmax;
    if (nl->chip.device.d2d > 0) b = wmax + 4 * nl->chip.device.d2d * (wmax - wmin);
    if (nl->stdp.norm != XB_NORM_NONE) {
        /* scaled by a positive factor: the sign is kept, |w| <= T */
        const double T = nl->stdp.mean_weight * rows;
        if (a > 0) a = 0;
        if (b < 0) b = 0;
        if (wmin < 0 && -T < a) a = -T;
        if (wmax > 0 && T > b) b = T;
    }
    *lo = a - RANGE_TOL * fmax(1, fabs(a));
    *hi = b + RANGE_TOL * fmax(1, fabs(b));
}

/* Checks the arrays' values; the first bad one is an error of `code` about path. what: "" to
 * refuse a file, "cannot save: " to refuse writing one. finite_only: the save's check. */
static int check_values(const xb_netlist_t *nl, const geom_t *g, const arrays_t *a,
                        const char *path, int code, const char *what, int finite_only,
                        xb_error_t *err)
{
    const int rows = g->v[6], ch = g->v[4], n = g->v[9];
    double lo, hi;
    xb_weights_ff_range(nl, rows, &lo, &hi);
    const char *why = nl->stdp.norm != XB_NORM_NONE ? ", widened by normalisation"
                                                    : "; network.stdp.norm is none";
    for (size_t i = 0; i < a->nff; i++) {
        const float w = a->ff[i];
        if (isfinite(w) && (finite_only || (w >= lo && w <= hi))) continue;
        const size_t per_block = (size_t)rows * (size_t)ch;
        const int b = (int)(i / per_block), r = (int)(i % per_block / (size_t)ch),
                  c = (int)(i % (size_t)ch);
        if (!isfinite(w))
            return xb_error_at(err, code, path, 0, 0,
                               "%sfeed-forward weight %zu (block %d, row %d, channel %d) is %g, "
                               "not a finite number",
                               what, i, b, r, c, (double)w);
        return xb_error_at(err, code, path, 0, 0,
                           "%sfeed-forward weight %zu (block %d, row %d, channel %d) is %g, "
                           "outside the device range [%g, %g] (network.stdp.wmin .. wmax%s)",
                           what, i, b, r, c, (double)w, lo, hi, why);
    }
    for (size_t i = 0; i < a->ntheta; i++) {
        const float t = a->theta[i];
        if (isfinite(t) && (finite_only || t >= 0)) continue;
        return xb_error_at(err, code, path, 0, 0, "%sadaptive threshold of neuron %zu is %g, %s",
                           what, i, (double)t, isfinite(t) ? "below 0" : "not a finite number");
    }
    for (size_t i = 0; i < a->ncomp; i++) {
        const float w = a->comp[i];
        if (isfinite(w) && (finite_only || w <= 0)) continue;
        const size_t nn = (size_t)n * (size_t)n;
        return xb_error_at(err, code, path, 0, 0,
                           "%slearned competition weight %zu (group %d, row %d, column %d) is %g, "
                           "%s",
                           what, i, (int)(i / nn), (int)(i % nn / (size_t)n), (int)(i % (size_t)n),
                           (double)w, isfinite(w) ? "above 0" : "not a finite number");
    }
    return XB_OK;
}

/* The payload's bytes (little-endian float32: ff, theta, comp) from the arrays, or back. */
static void payload_pack(const arrays_t *a, unsigned char *p)
{
    const float *src[3] = {a->ff, a->theta, a->comp};
    const size_t n[3] = {a->nff, a->ntheta, a->ncomp};
    for (int k = 0; k < 3; k++)
        for (size_t i = 0; i < n[k]; i++, p += 4) {
            uint32_t u;
            memcpy(&u, &src[k][i], 4);
            put32(p, u);
        }
}

static void payload_unpack(const unsigned char *p, arrays_t *a)
{
    float *dst[3] = {a->ff, a->theta, a->comp};
    const size_t n[3] = {a->nff, a->ntheta, a->ncomp};
    for (int k = 0; k < 3; k++)
        for (size_t i = 0; i < n[k]; i++, p += 4) {
            uint32_t u = get32(p);
            memcpy(&dst[k][i], &u, 4);
        }
}

int xb_weights_save(const char *path, const xb_netlist_t *nl, xb_chip_t *chip, xb_error_t *err)
{
    geom_t g;
    arrays_t a;
    geom_of(nl, chip, &g, &a);
    int rc = check_values(nl, &g, &a, path, XB_ENUMERIC, "cannot save: ", 1, err);
    if (rc != XB_OK) return rc;
    const size_t bytes = 4 * (a.nff + a.ntheta + a.ncomp);
    unsigned char *buf = malloc(XB_WEIGHTS_HEADER_BYTES + bytes);
    if (!buf) return xb_error_at(err, XB_ENOMEM, path, 0, 0, "out of memory for the weights");
    unsigned char *h = buf, *p = buf + XB_WEIGHTS_HEADER_BYTES;
    memcpy(h, "XBW2", 4);
    for (int i = 0; i < NGEOM; i++)
        put32(h + 4 + 4 * i, (uint32_t)g.v[i]);
    put32(h + OFF_PAYLOAD_BYTES, (uint32_t)((uint64_t)bytes & 0xffffffffu));
    put32(h + OFF_PAYLOAD_BYTES + 4, (uint32_t)((uint64_t)bytes >> 32));
    payload_pack(&a, p);
    put32(h + OFF_PAYLOAD_CRC, crc_of(0, p, bytes));
    put32(h + OFF_HEADER_CRC, crc_of(0, h, OFF_HEADER_CRC));
    xb_out_t o;
    if (xb_out_begin(&o, path, err) != XB_OK) {
        free(buf);
        return XB_EOUTPUT;
    }
    errno = 0;
    if (fwrite(buf, 1, XB_WEIGHTS_HEADER_BYTES + bytes, o.f) != XB_WEIGHTS_HEADER_BYTES + bytes) {
        int e = errno ? errno : EIO;
        xb_out_abort(&o);
        free(buf);
        return xb_error_at(err, XB_EOUTPUT, path, 0, 0, "cannot write: %s", strerror(e));
    }
    free(buf);
    return xb_out_commit(&o, err);
}

/* Reads up to n bytes; returns how many (fewer only at the end of the file) or -1. */
static long long read_all(int fd, unsigned char *p, size_t n, const char *path, xb_error_t *err)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, p + got, n - got > (1u << 30) ? (1u << 30) : n - got);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            xb_error_at(err, XB_EIO, path, 0, 0, "read error: %s", strerror(errno));
            return -1;
        }
        if (r == 0) break;
        got += (size_t)r;
    }
    return (long long)got;
}

static int another_network(const char *path, const geom_t *got, const geom_t *want, xb_error_t *err)
{
    char diff[400] = "";
    size_t len = 0;
    for (int i = 0; i < NGEOM && len < sizeof diff; i++)
        if (got->v[i] != want->v[i])
            len +=
                (size_t)snprintf(diff + len, sizeof diff - len, "%s%s %d (netlist %d)",
                                 len ? ", " : "", geom_names[i], (int)got->v[i], (int)want->v[i]);
    return xb_error_at(err, XB_EINVAL, path, 0, 0, "written for another network: %s", diff);
}

int xb_weights_load(const char *path, const xb_netlist_t *nl, xb_chip_t *chip, FILE *warn,
                    xb_error_t *err)
{
    int fd;
    long long size;
    int rc = xb_open_regular(path, &fd, &size, err);
    if (rc != XB_OK) return rc;
    unsigned char *buf = NULL;
    float *vals = NULL;
    geom_t want, got;
    arrays_t a;
    geom_of(nl, chip, &want, &a);
    const size_t bytes = 4 * (a.nff + a.ntheta + a.ncomp);
    unsigned char h[XB_WEIGHTS_HEADER_BYTES];
    long long n = read_all(fd, h, sizeof h, path, err);
    if (n < 0) {
        rc = err->code;
        goto out;
    }
    if (n < 4) {
        rc = xb_error_at(err, XB_EFORMAT, path, 0, 0,
                         "truncated: %lld bytes, a weights file starts with a %d-byte header", n,
                         XB_WEIGHTS_HEADER_BYTES);
        goto out;
    }
    const int v1 = !memcmp(h, "XBW1", 4);
    if (!v1 && memcmp(h, "XBW2", 4)) {
        rc = xb_error_at(err, XB_EFORMAT, path, 0, 0,
                         "not an xbarsim weights file: magic %02x %02x %02x %02x, expected "
                         "\"XBW2\" (or the older \"XBW1\")",
                         h[0], h[1], h[2], h[3]);
        goto out;
    }
    const long long hbytes = v1 ? V1_HEADER_BYTES : XB_WEIGHTS_HEADER_BYTES;
    if (n < hbytes) {
        rc = xb_error_at(err, XB_EFORMAT, path, 0, 0, "truncated header: %lld of %lld bytes", n,
                         hbytes);
        goto out;
    }
    if (!v1) {
        uint32_t stored = get32(h + OFF_HEADER_CRC), crc = crc_of(0, h, OFF_HEADER_CRC);
        if (stored != crc) {
            rc = xb_error_at(err, XB_EFORMAT, path, 0, 0,
                             "corrupt: the header's CRC-32 is %08x, its bytes give %08x", stored,
                             crc);
            goto out;
        }
    }
    for (int i = 0; i < NGEOM; i++)
        got.v[i] = (int32_t)get32(h + 4 + 4 * i);
    if (memcmp(&got, &want, sizeof got)) {
        rc = another_network(path, &got, &want, err);
        goto out;
    }
    if (!v1) {
        uint64_t announced =
            get32(h + OFF_PAYLOAD_BYTES) | (uint64_t)get32(h + OFF_PAYLOAD_BYTES + 4) << 32;
        if (announced != (uint64_t)bytes) {
            rc = xb_error_at(err, XB_EFORMAT, path, 0, 0,
                             "corrupt: the header announces %llu payload bytes, its network "
                             "needs %zu",
                             (unsigned long long)announced, bytes);
            goto out;
        }
    }
    const long long total = hbytes + (long long)bytes;
    if (size != total) {
        rc = size < total
                 ? xb_error_at(err, XB_EFORMAT, path, 0, 0,
                               "truncated: %lld bytes, the network's weights file has %lld", size,
                               total)
                 : xb_error_at(err, XB_EFORMAT, path, 0, 0,
                               "%lld trailing bytes after the %lld of the weights", size - total,
                               total);
        goto out;
    }
    buf = malloc(bytes + 1);
    vals = malloc(bytes ? bytes : 1);
    if (!buf || !vals) {
        rc = xb_error_at(err, XB_ENOMEM, path, 0, 0, "out of memory for the weights");
        goto out;
    }
    /* the payload follows the header (already read: n - hbytes of it) */
    size_t have = (size_t)(n - hbytes) < bytes ? (size_t)(n - hbytes) : bytes;
    memcpy(buf, h + hbytes, have);
    n = read_all(fd, buf + have, bytes + 1 - have, path, err);
    if (n < 0) {
        rc = err->code;
        goto out;
    }
    if ((size_t)n + have != bytes) {
        rc = xb_error_at(err, XB_EFORMAT, path, 0, 0,
                         (size_t)n + have < bytes ? "truncated while being read"
                                                  : "grew while being read");
        goto out;
    }
    if (!v1) {
        uint32_t stored = get32(h + OFF_PAYLOAD_CRC), crc = crc_of(0, buf, bytes);
        if (stored != crc) {
            rc = xb_error_at(err, XB_EFORMAT, path, 0, 0,
                             "corrupt: the weights' CRC-32 is %08x in the header, the data give "
                             "%08x",
                             stored, crc);
            goto out;
        }
    }
    /* unpacked into a copy: the chip changes only when everything is good */
    arrays_t tmp = a;
    tmp.ff = vals;
    tmp.theta = vals + a.nff;
    tmp.comp = vals + a.nff + a.ntheta;
    payload_unpack(buf, &tmp);
    rc = check_values(nl, &want, &tmp, path, XB_EFORMAT, "", 0, err);
    if (rc != XB_OK) goto out;
    memcpy(a.ff, tmp.ff, sizeof(float) * a.nff);
    memcpy(a.theta, tmp.theta, sizeof(float) * a.ntheta);
    if (a.ncomp) memcpy(a.comp, tmp.comp, sizeof(float) * a.ncomp);
    xb_chip_weights_changed(chip);
    if (v1 && warn) {
        xb_error_t w; /* formatted like an error (one line, the name escaped), not one */
        xb_error_at(&w, XB_EFORMAT, path, 0, 0,
                    "warning: an XBW1 weights file (an older xbarsim's, without checksums): "
                    "loaded after checking its size and values; this run writes it as XBW2");
        char line[1200];
        fprintf(warn, "xbarsim: %s\n", xb_error_format(&w, line, sizeof line));
    }
out:
    free(buf);
    free(vals);
    close(fd);
    return rc;
}
