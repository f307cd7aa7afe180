/* Probe images after the test (protocol.probes; sim/probe.h, docs/rules.md): how many spikes
 * the trained chip answers white noise, blurred noise, its test images and images of classes
 * it never learned with. */
#include <stdlib.h>
#include <string.h>

#include "sim/data.h"
#include "sim/probe.h"
#include "sim/run_impl.h"

/* Spikes per image of n images of px (phase probe, the evaluation's spike trains). */
static int spikes_of(runner_t *r, const char *name, const uint8_t *px, int n, uint32_t *counts,
                     double *out, xb_error_t *err)
{
    int done = 0;
    int rc = xb_run_record(r, name, px, n, counts, &done, err);
    if (rc != XB_OK) return rc;
    double s = 0;
    for (size_t i = 0; i < (size_t)n * (size_t)r->neurons; i++)
        s += counts[i];
    *out = n > 0 ? s / n : 0;
    return XB_OK;
}

/* The first n images of the test file whose label is not in protocol.classes into px; returns
 * how many, or a (negative) error code with err filled. */
static int other_classes(const xb_netlist_t *nl, int n, size_t isz, uint8_t *px, xb_error_t *err)
{
    xb_netlist_t *all = malloc(sizeof *all);
    if (!all) return xb_error_set(err, XB_ENOMEM, "out of memory");
    *all = *nl;
    all->protocol.class_list.n = 0;
    xb_data_plan_t plan;
    xb_dataset_t ds;
    memset(&ds, 0, sizeof ds);
    int rc = xb_data_validate(all, &plan, err);
    if (rc == XB_OK) rc = xb_data_load_set(all, &plan, XB_DATA_TEST, &ds, err);
    free(all);
    if (rc != XB_OK) return rc; /* error codes are negative */
    int m = 0;
    for (int i = 0; i < ds.count && m < n; i++)
        if (xb_run_segment_of(nl, ds.labels[i]) < 0)
            memcpy(px + isz * m++, ds.pixels + isz * i, isz);
    xb_dataset_free(&ds);
    return m;
}

int xb_run_probes(runner_t *r, xb_run_result_t *res, xb_error_t *err)
{
    const xb_netlist_t *nl = r->nl;
    const int n = nl->protocol.probes, rows = r->pools.train.rows, cols = r->pools.train.cols;
    if (n <= 0) return XB_OK;
    const size_t isz = (size_t)rows * cols;
    uint8_t *px = malloc(isz * (size_t)n);
    double *blur = malloc(sizeof(double) * isz);
    uint32_t *counts = malloc(sizeof(uint32_t) * (size_t)n * (size_t)r->neurons);
    int rc = XB_OK;
    if (!px || !blur || !counts) rc = xb_error_set(err, XB_ENOMEM, "out of memory for the probes");
    xb_rng_t img_rng, keep = r->enc_rng;
    xb_rng_seed(&img_rng, nl->protocol.seed, XB_STREAM_PROBE);
    xb_rng_seed(&r->enc_rng, nl->protocol.seed, XB_STREAM_EVAL);
    xb_run_phase_switch(r, XB_PHASE_PROBE);
    if (rc == XB_OK) { /* white noise */
        for (int i = 0; i < n; i++)
            xb_probe_white(&img_rng, px + isz * i, (int)isz);
        res->probe_images[0] = n;
        rc = spikes_of(r, "probe white", px, n, counts, &res->probe_spikes[0], err);
    }
    if (rc == XB_OK) { /* the same noise blurred */
        for (int i = 0; i < n && rc == XB_OK; i++) {
            if (xb_probe_blur(px + isz * i, rows, cols, nl->protocol.probe_blur_px, blur) != 0)
                rc = xb_error_set(err, XB_ENOMEM, "out of memory for the probes");
            xb_probe_stretch(blur, (int)isz, px + isz * i);
        }
        res->probe_images[1] = n;
        if (rc == XB_OK) rc = spikes_of(r, "probe blur", px, n, counts, &res->probe_spikes[1], err);
    }
    if (rc == XB_OK) { /* the test images */
        const int m = n < nl->protocol.test ? n : nl->protocol.test;
        res->probe_images[2] = m;
        rc =
            spikes_of(r, "probe test", r->pools.test.pixels, m, counts, &res->probe_spikes[2], err);
    }
    if (rc == XB_OK && nl->protocol.class_list.n > 0) { /* the classes never learned */
        const int m = other_classes(nl, n, isz, px, err);
        if (m < 0) rc = m;
        res->probe_images[3] = m > 0 ? m : 0;
        if (m > 0) rc = spikes_of(r, "probe other", px, m, counts, &res->probe_spikes[3], err);
    }
    r->enc_rng = keep;
    free(px);
    free(blur);
    free(counts);
    return rc;
}
