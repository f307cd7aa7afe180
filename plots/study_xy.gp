# One figure of a study against one swept key: mean over seeds with the standard deviation as
# error bars, one point per study point (sim/study_merge.c writes the data).
# gnuplot -e "in='x.dat'; out='x.png'; xlab='...'; ylab='...'; title='...'" plots/study_xy.gp
# in: index, value label, mean, std, point id (one line per point, by the key's value).
set terminal pngcairo noenhanced size 900,520 font ",10"
set output out
set title title
set xlabel xlab
set ylabel ylab
set grid
set format y "%.3g"
set key off
set offsets 0.5, 0.5, 0, 0
set xtics rotate by -30
plot in using 1:3:4:xtic(2) with yerrorbars pt 7 ps 1.2 lc rgb "#1f77b4"
