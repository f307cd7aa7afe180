# Continual learning (forgetting.csv of a run with protocol.tasks): each task's accuracy after
# each task was trained, all-voting (solid) and the linear classifier (dashed).
# gnuplot -e "in='forgetting.csv'; out='forgetting.png'; tasks=2" plots/forgetting.gp
# forgetting.csv: after_task, task, then the readouts' accuracies (all_voting is column 3,
# linear column 6).
set datafile separator ","
set terminal pngcairo noenhanced size 900,520 font ",10"
set output out
set xlabel "after training task"
set ylabel "test accuracy on the task's classes"
set yrange [0:1]
set xrange [0.8:tasks + 0.2]
set xtics 1
set grid
set key bottom left
plot for [j = 1:tasks] in using ($2 == j ? $1 : 1/0):3 skip 1 with linespoints lc j pt 7 \
         title sprintf("task %d, all voting", j), \
     for [j = 1:tasks] in using ($2 == j ? $1 : 1/0):6 skip 1 with linespoints lc j dt 2 pt 6 \
         title sprintf("task %d, linear", j)
