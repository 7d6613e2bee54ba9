"""What the original code got wrong, checked on real environment data."""
import tempfile

import torch

from flow_mbpo.diagnostics import reward_fit
from flow_mbpo.train import OnlineTrainer, run_config, SMOKE_TEST_OVERRIDES


def test_reward_head_trained_in_the_loop_predicts_the_environment_reward(tmp_path):
    # a short online run on a dense-reward task: its world model's reward head must predict the real rewards of
    # held-out replayed transitions (the original head decoded to a constant)
    cfg = run_config('flow', 'gaussian', 'walker-stand', steps=2000, overrides=[
        *SMOKE_TEST_OVERRIDES, 'train.seed_wm_updates=400', 'wandb.mode=disabled', 'eval.video=false'])
    trainer = OnlineTrainer(cfg, tmp_path / 'run')
    trainer.run(progress=False)
    torch.manual_seed(1)
    fit = reward_fit(trainer.agent.wm, trainer.buffer.sample(2000, 1))
    assert fit['reward_corr'] > 0.9, fit
