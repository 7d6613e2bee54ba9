#!/usr/bin/env bash
# The world-model probe behind results/wm_probe/probe.txt (see probe.py): each world-model variant, one after the other,
# one torch thread. Run from the repository root with the package installed.
set -euo pipefail
export OMP_NUM_THREADS=1 PYTHONPATH=${PYTHONPATH:-.}
out=results/wm_probe/probe.txt
: > "$out"
probe() { python results/wm_probe/probe.py "$@" | tee -a "$out"; }
probe mlp wm=mlp
probe flow_rollout_live wm=flow
probe flow_rollout_detached wm=flow wm.fm_velocity_target=detached
probe flow_teacher wm=flow wm.fm_source=teacher
probe flow_teacher_consistency1 wm=flow wm.fm_source=teacher wm.consistency_coef=1.0
