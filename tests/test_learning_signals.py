"""What the original code got wrong, checked on real environment data."""
import torch

from flow_mbpo.data import episodes_from_steps
from flow_mbpo.diagnostics import reward_fit
from flow_mbpo.envs import make_env
from flow_mbpo.train import OnlineTrainer, run_config, random_actor, SMOKE_TEST_OVERRIDES


def fresh_transitions(task: str, episodes: int, seed: int) -> dict:
    "One batch of random-action episodes from environments the run never saw, as one-step slices."
    env = make_env(task, episodes, seed=seed)
    act = random_actor(env.spec.action_dim)
    obs = [env.reset()]; actions, rewards = [], []
    for _ in range(env.spec.episode_length):
        a = act(obs[-1]); o, r, _, _ = env.step(a)
        obs.append(o); actions.append(a); rewards.append(r)
    o, a, r = episodes_from_steps(obs, actions, rewards)
    return dict(obs=torch.stack([o[:, :-1].flatten(0, 1), o[:, 1:].flatten(0, 1)]),
                action=a[:, 1:].flatten(0, 1)[None], reward=r[:, 1:].flatten(0, 1)[None])


def test_reward_head_trained_in_the_loop_predicts_the_environment_reward(tmp_path):
    # a short online run: its world model's reward head must predict the real rewards of transitions it never
    # trained on (the original code's head decoded to a constant)
    cfg = run_config('flow', 'gaussian', 'cartpole-balance', steps=2000, overrides=[
        *SMOKE_TEST_OVERRIDES, 'train.seed_wm_updates=800', 'wandb.mode=disabled', 'eval.video=false'])
    trainer = OnlineTrainer(cfg, tmp_path / 'run')
    trainer.run(progress=False)
    fit = reward_fit(trainer.agent.wm, fresh_transitions('cartpole-balance', 4, seed=12345))
    assert fit['reward_corr'] > 0.9, fit
