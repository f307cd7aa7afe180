# ms per training image by network and device, beside the plain-C floor (runs/bench/bench.csv).
# gnuplot -e "in='bench.csv'; out='bench.png'" plots/bench.gp
set terminal pngcairo noenhanced size 1100,560 font ",11"
set output out
set datafile separator ","
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.7 border -1
set logscale y
set ylabel "ms per training image (host)"
set xtics rotate by -30
set key top left
set rmargin 12
set grid ytics
plot in using 3:xtic(stringcolumn(1)." ".stringcolumn(2)) skip 1 title "xbarsim (SystemC, energy on)", \
     '' using 5 skip 1 title "plain-C floor"
