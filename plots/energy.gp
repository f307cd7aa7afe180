# Energy per image by category, training and inference (energy.csv of a run).
# gnuplot -e "in='energy.csv'; out='energy.png'" plots/energy.gp
set terminal pngcairo noenhanced size 1000,560 font ",11"
set output out
set datafile separator ","
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
plot in using 2:xtic(1) skip 1 title "training", '' using 3 skip 1 title "inference"
