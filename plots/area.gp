# The chip's area by component (area.csv of a run): mm^2 and share of the total.
# gnuplot -e "in='area.csv'; out='area.png'" plots/area.gp
# area.csv: component, area_mm2, share, static_W; the last row is the total.
set datafile separator ","
stats in using 2 skip 1 nooutput
total = STATS_max
set terminal pngcairo noenhanced size 900,520 font ",11"
set output out
set style data histograms
set style fill solid 0.7 border -1
set boxwidth 0.8
set ylabel "area (mm^2)"
set xtics rotate by -30
set grid ytics
set title sprintf("chip area %.4f mm^2 by component", total)
set yrange [0:*]
plot in every ::1::9 using 2:xtic(1) notitle, \
     '' every ::1::9 using 0:2:(sprintf("%.1f %%", 100 * $3)) with labels offset 0,1 notitle
