# Parameters/s of each rule's step against block size, float and double, with the limit (the
# same memory traffic with trivial arithmetic) of Sgd and of Adam. Called by benchmarks/run.sh
# with dir set to the results directory.
set terminal pngcairo size 1200,480 font ",10"
set output dir.'/steps.png'
set multiplot layout 1,2
set logscale x
set xlabel 'parameters in the block'
set ylabel 'parameters / s'
set format x '10^{%L}'
set logscale y
set xrange [500:2e7]
set key top right font ',8'
set grid
do for [s in 'float double'] {
  set title 'one step, '.s.', 1 thread'
  f = dir.'/steps_'.s.'.dat'
  plot f u 1:2 w lp t 'Sgd', f u 1:4 w lp t 'Momentum', f u 1:6 w lp t 'Nesterov', \
       f u 1:8 w lp t 'Adam', f u 1:10 w lp t 'AMSGrad', f u 1:12 w lp t 'AdamW', \
       f u 1:3 w l dt 2 lc rgb 'gray40' t 'limit (Sgd traffic)', \
       f u 1:9 w l dt 2 lc rgb 'black' t 'limit (Adam traffic)'
}
unset multiplot
