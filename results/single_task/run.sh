#!/usr/bin/env bash
# Real learning, measured (issue 3): walker-stand, MLP and flow world models with the Gaussian policy, 40000
# environment steps, seed 0, the default `tiny` size and `cpu` preset, one torch thread each. The two runs ran side by
# side (nice 5) on the 2-core CPU machine, which also ran other jobs, so their wall-clock is not a speed measurement.
# Each is nbs/train.ipynb through the phase-1 grid script, i.e. per run
#   papermill nbs/train.ipynb papermill_runs/single_task/walker-stand_<wm>-gaussian_s0.ipynb -k python3 \
#     -p wm <wm> -p task walker-stand -p steps 40000 -p seed 0 -p phase single_task
# Then collect them into results/single_task/ (analysed in nbs/analysis/single_task_learning.ipynb):
#   PYTHONPATH=. python -c "from flow_mbpo.results import collect_runs; collect_runs('runs/single_task', 'single_task')"
set -euo pipefail
grid="$(dirname "$0")/../phase1/run_grid.sh"
export PHASE=single_task TASK=walker-stand STEPS=40000 SEEDS=0
VARIANTS=mlp-gaussian nice -n 5 "$grid" &
sleep 90
VARIANTS=flow-gaussian nice -n 5 "$grid" &
wait
