# Energy per image by category and phase (energy.csv of a run): training, inference (the final
# calibration and test), and the learning curve's evaluations when the run measured one.
# gnuplot -e "in='energy.csv'; out='energy.png'" plots/energy.gp
# energy.csv: category, then J per image of train, inference, calibrate, test, curve.
set datafile separator ","
stats in using 6 skip 1 nooutput
has_curve = STATS_max > 0
set terminal pngcairo noenhanced size 1000,560 font ",11"
set output out
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.7 border -1
set boxwidth 0.9
set logscale y
set format y "%.0e"
set ylabel "energy per image (J)"
set xtics rotate by -30
set key top right
set grid ytics
if (has_curve) {
    plot in using 2:xtic(1) skip 1 title "training", '' using 3 skip 1 title "inference", \
         '' using 6 skip 1 title "learning-curve evaluations"
} else {
    plot in using 2:xtic(1) skip 1 title "training", '' using 3 skip 1 title "inference"
}
