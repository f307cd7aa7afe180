/* xbarsim: the host controller's entry point. */
#include <stdio.h>
#include <string.h>

#include "hw/hw.h"
#include "sim/cli.h"
#include "sim/fuse.h"
#include "sim/study.h"
#include "sim/run.h"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command_t;

static const command_t commands[] = {
    {"demo", xb_cmd_demo,
     "train the embedded default netlist on the chip (LCSNN 25/12), report, plots"},
    {"run", xb_cmd_run, "train on the chip, calibrate, test; report, weights and plots"},
    {"count", xb_cmd_count, "neurons, synapses, devices, tiles of netlists (--json, --paper)"},
    {"check", xb_cmd_check, "validate netlists"},
    {"sweep", xb_cmd_sweep,
     "a study: runs over netlist keys and seeds, merged (--jobs, --emit parallel|slurm)"},
    {"fuse", xb_cmd_fuse,
     "knowledge fusion: two networks' best output neurons in one; tested beside bagging"},
    {"schema", xb_cmd_schema, "every netlist field with its default, range and unit"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: xbarsim COMMAND [OPTIONS] [NETLIST.yaml]...\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\noptions: --set key.path=value (any netlist field, repeatable), --json, "
               "--help\nexit status: 0 ok, 1 failure, 2 bad input, 128 + signal when stopped (130 "
               "SIGINT, 143 SIGTERM, 129 SIGHUP)\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return XB_EXIT_INPUT;
    }
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return XB_EXIT_OK;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
        printf("xbarsim %s (SystemC %s)\n", XB_VERSION, xb_hw_systemc_version());
        return XB_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name)) return commands[i].run(argc, argv);
    fprintf(stderr, "xbarsim: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return XB_EXIT_INPUT;
}
