#!/usr/bin/env bash
# Controlled comparison behind the target-critic default: flow world model + Gaussian policy on cartpole-swingup at
# the default 10000 steps, seeds 0 and 1, with the Polyak target critic (the default, pwm.target_critic_alpha=0.95)
# and without it (null: PWM's bootstrap from the critic itself); nothing else differs. Uses the phase-1 grid script,
# so the runs land in runs/target_critic/ with registry rows; then collect them into results/target_critic/:
#   PYTHONPATH=. python -c "from flow_mbpo.results import collect_runs; collect_runs('runs/target_critic', 'target_critic')"
set -euo pipefail
grid="$(dirname "$0")/../phase1/run_grid.sh"
export PHASE=target_critic VARIANTS=flow-gaussian SEEDS="0 1" STEPS=10000
"$grid"
EXTRA='pwm.target_critic_alpha=null' NAME_SUFFIX=_no_target "$grid"
