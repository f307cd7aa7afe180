/* xbarsim hardware model (SystemC), seen from the C host. Every entry point is extern "C"
 * and catches SystemC reports and C++ exceptions: nothing crosses into C. */
#ifndef XB_HW_H
#define XB_HW_H

#ifdef __cplusplus
extern "C" {
#endif

/* The SystemC kernel version the model runs on, e.g. "2.3.4-Accellera". */
const char *xb_hw_systemc_version(void);

#ifdef __cplusplus
}
#endif

#endif
