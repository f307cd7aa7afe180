# Energy per image by component (energy.csv of a run): one stacked bar for training and one
# for inference (the final calibration and test), every category listed with its energy per
# image and its share of the total (a category that cost nothing shows 0 J, 0 %).
# gnuplot -e "in='energy.csv'; out='energy.png'; names='device_read ...'; title='...'" plots/energy.gp
# energy.csv: category, then J per image of train, inference, calibrate, test, curve; `names`
# lists the categories in the file's order (the caller passes them: gnuplot reads no strings
# from data without a shell).
set datafile separator ","
N = words(names)
array tr[N]
array inf[N]
do for [i = 1:N] {
    stats in every ::i::i using 2 nooutput
    tr[i] = STATS_sum
    stats in every ::i::i using 3 nooutput
    inf[i] = STATS_sum
}
ttr = 0; tinf = 0
do for [i = 1:N] { ttr = ttr + tr[i]; tinf = tinf + inf[i] }
colours = "#1f77b4 #aec7e8 #ff7f0e #ffbb78 #2ca02c #98df8a #d62728 #ff9896 " . \
          "#9467bd #c5b0d5 #8c564b #e377c2 #7f7f7f #bcbd22 #17becf #c49c94"
pct(x, t) = t > 0 ? 100 * x / t : 0
set terminal pngcairo noenhanced size 1100,620 font ",10"
set output out
set multiplot layout 1,2 title title font ",12"
set style fill solid 0.85 border -1
set xrange [0:3]
set noxtics
set yrange [0:*]
set format y "%.2e"
set ylabel "energy per image (J)"
set key outside right center vertical Left reverse samplen 1 width -2
set grid ytics
do for [ph = 1:2] {
    tot = ph == 1 ? ttr : tinf
    set title sprintf("%s: %.4g J per image", ph == 1 ? "training" : "inference", tot)
    plot \
         for [i = 1:N] '+' every ::0::0 \
             using (1):((ph == 1 ? sum [k = 1:i] tr[k] : sum [k = 1:i] inf[k]) - \
                        (ph == 1 ? tr[i] : inf[i]) / 2):(0.6):((ph == 1 ? tr[i] : inf[i]) / 2) \
             with boxxyerror lc rgb word(colours, i) \
             title sprintf("%-15s %10.3e J %5.1f %%", word(names, i), ph == 1 ? tr[i] : inf[i], \
                           pct(ph == 1 ? tr[i] : inf[i], tot))
}
unset multiplot
