# Histogram of the learned competition weights of same-position pairs (the paper's Figure 10).
# gnuplot -e "in='competition.dat'; out='competition_hist.png'" plots/competition_hist.gp
set terminal pngcairo size 900,560 font ",11"
set output out
stats in using 1 nooutput
bw = (STATS_max - STATS_min) / 40.0
if (bw <= 0) bw = 1
bin(x) = bw * floor(x / bw) + bw / 2
set xlabel "competition weight (mV)"
set ylabel "synapses"
set style fill solid 0.6
unset key
set title sprintf("Learned competition weights (%d synapses, mean %.1f)", STATS_records, STATS_mean)
plot in using (bin($1)):(1.0) smooth frequency with boxes
