# Learning curve: accuracy of every readout against training images.
# gnuplot -e "in='curve.csv'; out='curve.png'" plots/curve.gp
set terminal pngcairo size 900,560 font ",11"
set output out
set datafile separator ","
set key bottom right
set xlabel "training images"
set ylabel "test accuracy (%)"
set grid
set yrange [0:100]
plot in using 1:($2*100) with linespoints title "all voting", \
     in using 1:($3*100) with linespoints title "patch voting", \
     in using 1:($4*100) with linespoints title "spike selection", \
     in using 1:($5*100) with linespoints title "linear classifier", \
     in using 1:($6*100) with linespoints title "segment"
