/* xbarsim chip periphery: what each event of the hardware model costs, in energy and time, at
 * the chip's node. The host computes these from the cost model (models/tile_cost.h,
 * models/circuit_cost.h, models/adc.h: published figures carried to the node) and the netlist
 * (sim/costs.h); the hardware model adds a product per event. Plain C, shared by sim/ and hw/. */
#ifndef XB_PERIPHERY_H
#define XB_PERIPHERY_H

typedef struct xb_periphery_cfg {
    /* one read pulse of a tile (feed-forward or inhibition crossbar) */
    double row_line_J;   /* per driven word line: C_row V_row^2                        */
    double row_driver_J; /* per driven word line: its driver (1-bit DAC)               */
    double col_line_J;   /* per column read: C_col V_read^2 (two bit lines on pairs)   */
    int cell_devices;    /* feed-forward devices per weight: 2 on differential pairs   */
    double t_pulse_s;    /* read pulse plus the array's RC delay                       */
    /* ADCs (adc_bits 0: none; the partial currents add in analog on the neuron)          */
    int adc_bits;
    int adc_serial;  /* columns one ADC converts in series, at most: ceil(C / ADCs) */
    double sample_J; /* per column converted: sample-and-hold                        */
    double adc_J;    /* per column converted: the conversion                         */
    double add_J;    /* per column converted: shift-and-add into the neuron's sum    */
    double t_conv_s; /* one conversion                                               */
    /* neurons */
    double integrate_J; /* per partial sum (or inhibition) integrated by one neuron   */
    double spike_J;     /* per output spike                                           */
    double t_neuron_s;  /* neuron update time per step                                */
    /* learning */
    double trace_J;        /* per STDP trace update (a spike bumping its trace)          */
    double write_pulse_J;  /* per write pulse beyond the cell's V^2 G t: lines, drivers,
                            * half-selected cells (the larger of SET and RESET, one cell)   */
    double t_write_line_s; /* per write pulse, added to its width: the array's line delay */
    /* communication */
    double bus_J;   /* per spike broadcast on an inhibition bus                          */
    double route_J; /* per spike per hop                                                */
    double t_bus_s; /* bus time per broadcast (arbitration serialises)                  */
} xb_periphery_cfg_t;

#endif
