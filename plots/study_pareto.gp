# A study's Pareto scatter: accuracy against a cost (energy per inference image or area), the
# points on the front joined and every point labelled with its id (sim/study_merge.c).
# gnuplot -e "in='pareto-energy.dat'; out='pareto-energy.png'; xlab='...'; ylab='...'; title='...'" plots/study_pareto.gp
# in: cost, accuracy, on the front (1/0), point id; front points first, by cost.
set terminal pngcairo noenhanced size 1000,640 font ",10"
set output out
set title title
set xlabel xlab
set ylabel ylab
set grid
set format x "%.3g"
set format y "%.3g"
set key bottom right
set offsets graph 0.05, graph 0.15, graph 0.05, graph 0.05
plot in using ($3 == 1 ? $1 : 1/0):2 with linespoints pt 7 ps 1.3 lw 2 lc rgb "#d62728" title "Pareto front", \
     '' using ($3 == 0 ? $1 : 1/0):2 with points pt 6 ps 1.2 lc rgb "#1f77b4" title "other points", \
     '' using 1:2:4 with labels offset 0.8,0.6 left font ",8" notitle
