# Accuracy against time since programming (drift.csv of a run with protocol.inference_delay_s):
# every readout measured, raw (solid) and with the global drift compensation (dashed).
# gnuplot -e "in='drift.csv'; out='drift.png'" plots/drift.gp
# drift.csv: delay_s, compensated (0/1), compensation_factor, then the readouts' accuracies.
set datafile separator ","
set terminal pngcairo noenhanced size 900,520 font ",10"
set output out
set logscale x
set format x "%.0e"
set xlabel "time since programming (s)"
set ylabel "accuracy"
set yrange [0:1]
set grid
set key bottom left
names = "all_voting patch_voting spike_selection linear"
plot for [k = 1:4] in using ($2 == 0 ? $1 : 1/0):(column(k + 3)) skip 1 with linespoints \
         lc k pt 7 title word(names, k), \
     for [k = 1:4] in using ($2 == 1 ? $1 : 1/0):(column(k + 3)) skip 1 with linespoints \
         lc k dt 2 pt 6 title word(names, k) . " (compensated)"
