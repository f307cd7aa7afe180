# Feed-forward receptive fields of one position (the paper's Figure 5).
# gnuplot -e "in='receptive_fields.dat'; out='rf.png'; k=12; g=5" plots/receptive_fields.gp
set terminal pngcairo size 800,800 font ",10"
set output out
set title sprintf("Receptive fields of position 0 (%d channels as %dx%d patches of %dx%d)", g*g, g, g, k, k)
unset key
set size ratio -1
set palette gray negative
set cbrange [0:*]
set cblabel "weight"
set xrange [-0.5:g*k-0.5]
set yrange [g*k-0.5:-0.5]
set xtics k
set ytics k
set grid front lc rgb "#4060c0" lw 0.5
set format x ""
set format y ""
plot in matrix with image
