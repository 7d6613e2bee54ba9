#!/usr/bin/env bash
# Flow world model + Gaussian policy on cartpole-swingup (the default run, 10000 steps), with the Polyak target
# critic (the default, pwm.target_critic_alpha=0.95) and without it (PWM's bootstrap from the critic itself),
# seeds 0 and 1. Results: results/target_critic/<variant>_s<seed>/{metrics.csv,summary.json}.
set -euo pipefail
cd "$(dirname "$0")/../.."
export WANDB_MODE=disabled MUJOCO_GL=egl
for seed in 0 1; do
  for variant in target no_target; do
    out=results/target_critic/${variant}_s${seed}
    [ -f "$out/summary.json" ] && continue
    extra=(); [ "$variant" = no_target ] && extra=(-y "overrides: [pwm.target_critic_alpha=null]")
    papermill nbs/train.ipynb papermill_runs/target_critic_${variant}_s${seed}.ipynb -k python3 \
      -p wm flow -p seed "$seed" -p run_dir "runs/target_critic/${variant}_s${seed}" "${extra[@]}"
    mkdir -p "$out" && cp runs/target_critic/${variant}_s${seed}/{metrics.csv,summary.json,config.yaml} "$out/"
  done
done
