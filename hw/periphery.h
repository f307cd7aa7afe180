/* xbarsim chip periphery: energy per event and time per operation, set in the netlist
 * (chip.periphery.*) and used by the hardware model. Plain C, shared by sim/ and hw/. */
#ifndef XB_PERIPHERY_H
#define XB_PERIPHERY_H

/* Periphery of the chip: energies per event and times per operation (chip.periphery.*).
 * Defaults are published figures of other chips (ISAAC for the crossbar periphery, ODIN and
 * TrueNorth silicon for neurons, routing and core leakage, Loihi for the bus; sources in the
 * field table, sim/netlist_fields.c, and `xbarsim schema`), mixing 14-32 nm: set your own. */
typedef struct xb_periphery_cfg {
    double row_driver_pJ;   /* per activated row per read (driver / DAC)             */
    double neuron_pJ;       /* per neuron integration step with input                */
    int adc_bits;           /* 0: no ADC (the neuron integrates the column current)  */
    double adc_pJ;          /* per conversion                                        */
    int adc_cols;           /* columns sharing one ADC                               */
    double write_driver_pJ; /* per write pulse, on top of V^2 G t                    */
    double bus_pJ;          /* per spike broadcast on an inhibition bus              */
    double bus_receiver_pJ; /* per neuron receiving a broadcast                      */
    double route_pJ;        /* per spike per hop                                     */
    double t_neuron_s;      /* neuron update time per step                           */
    double t_bus_s;         /* bus time per broadcast (arbitration serialises)       */
    double t_adc_s;         /* per conversion                                        */
} xb_periphery_cfg_t;

#endif
