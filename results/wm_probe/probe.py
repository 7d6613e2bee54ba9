"""World models alone on random walker-stand episodes: does the model predict the latent's motion?

Trains one world model (the tiny size, the cpu preset's world-model settings: batches of 64 slices of 4 steps) for
3000 updates on 36 episodes of uniform random actions and reports, every 1000 updates, the open-loop errors of
`flow_mbpo.diagnostics.rollout_errors` on 512 slices of 4 other episodes: the encoded latent's one-step motion, the
model's predicted motion, the one-step error relative to the motion (1: no better than predicting no motion), the
4-step latent error, the reward error and the simplex drift. Usage (see run.sh):

    python results/wm_probe/probe.py <name> [hydra overrides...]
"""
import sys, time
from pathlib import Path

import torch
from omegaconf import OmegaConf

from flow_mbpo.core import compose_config
from flow_mbpo.critics import CriticEnsemble
from flow_mbpo.data import EpisodeBuffer
from flow_mbpo.diagnostics import rollout_errors
from flow_mbpo.multitask import collect_episodes
from flow_mbpo.policies import policy_from_config
from flow_mbpo.pwm import PWM
from flow_mbpo.world_models import world_model_from_config

DATA = Path('runs/wm_probe/walker-stand_random_40.pt')   # git-ignored; made on the first call
TRAIN_EPISODES, UPDATES, EVERY = 36, 3000, 1000

def episodes() -> dict:
    "40 episodes of uniform random actions on walker-stand (seed 0), cached."
    if not DATA.exists():
        DATA.parent.mkdir(parents=True, exist_ok=True)
        torch.save(collect_episodes('walker-stand', 40, seed=0), DATA)
    return torch.load(DATA, weights_only=True)   # a dict of tensors

def buffer(data: dict, rows: slice) -> EpisodeBuffer:
    b = EpisodeBuffer(10 ** 6, data['obs'].shape[-1], data['action'].shape[-1])
    b.add(data['obs'][rows], data['action'][rows], data['reward'][rows])
    return b

def main(name: str, overrides: list[str]) -> None:
    torch.set_num_threads(1)
    data = episodes()
    train, held_out = buffer(data, slice(0, TRAIN_EPISODES)), buffer(data, slice(TRAIN_EPISODES, None))
    torch.manual_seed(0)
    cfg = compose_config(overrides)
    obs_dim, action_dim = data['obs'].shape[-1], data['action'].shape[-1]
    wm = world_model_from_config(cfg, obs_dim, action_dim)
    agent = PWM(wm, policy_from_config(cfg, wm.latent_dim, action_dim), CriticEnsemble(wm.latent_dim, [64, 64]),
                **OmegaConf.to_container(cfg.pwm))
    torch.manual_seed(2)
    evaluation = held_out.sample(512, cfg.train.wm_horizon)
    started = time.time()
    for i in range(1, UPDATES + 1):
        m = agent.update_world_model(train.sample(cfg.train.wm_batch_size, cfg.train.wm_horizon))
        if i % EVERY == 0:
            e = rollout_errors(wm, evaluation)
            print(f"{name} updates {i}: dynamics_loss {m['dynamics_loss']:.5f} reward_loss {m['reward_loss']:.3f} "
                  f"latent_motion_1 {e['latent_motion_1']:.5f} model_latent_motion_1 {e['model_latent_motion_1']:.5f} "
                  f"model_latent_rel_error_1 {e['model_latent_rel_error_1']:.3f} model_latent_mse_end {e['model_latent_mse_end']:.5f} "
                  f"model_reward_mae_end {e['model_reward_mae_end']:.3f} model_simplex_drift_end {e['model_simplex_drift_end']:.3f} "
                  f"({time.time() - started:.0f} s)", flush=True)

if __name__ == '__main__': main(sys.argv[1], sys.argv[2:])
