"""Probe finished runs (their run directories, copied first so nothing in them changes): the critic's value of real
states against the discounted return-to-go the deterministic policy then earns, and the critic's value along imagined
rollouts as they leave the SimNorm simplex.

    PYTHONPATH=. python results/exploration/reacher_probes/critic.py RUN_DIR [RUN_DIR ...]"""
import sys, shutil, tempfile, torch
from pathlib import Path
from omegaconf import OmegaConf
from flow_mbpo.critics import td_lambda_targets
from flow_mbpo.train import OnlineTrainer
from flow_mbpo.world_models import simplex_projection

torch.set_num_threads(1)
for src in map(Path, sys.argv[1:]):
    run_dir = Path(tempfile.mkdtemp()) / src.name
    shutil.copytree(src, run_dir)
    cfg = OmegaConf.load(run_dir / 'config.yaml')
    trainer = OnlineTrainer(cfg, run_dir); trainer.restore()
    agent, env = trainer.agent, trainer.eval_env
    with torch.no_grad():
        obs, observations, actions, rewards = env.reset(), [], [], []
        for _ in range(env.spec.episode_length):
            observations.append(obs)
            actions.append(agent.policy(agent.wm.encode(obs), deterministic=True))
            obs, r, *_ = env.step(actions[-1])
            rewards.append(r)
        observations, actions, rewards = torch.stack(observations), torch.stack(actions), torch.stack(rewards)  # (T, N, .)
        to_go = td_lambda_targets(rewards, torch.zeros_like(rewards), gamma=cfg.pwm.gamma, lam=1.)  # discounted sums
        z = agent.wm.encode(observations)
        v, g = agent.critic.value(z)[:300].flatten(), to_go[:300].flatten()    # the first 300 steps: to-go not truncated
        step_motion = (z[1:] - z[:-1]).pow(2).mean(-1).mean()
        print(f'{src.name}: return {rewards.sum(0).mean():.1f}  V(E(o)) {v.mean():.1f} (std {v.std():.1f})  '
              f'return-to-go {g.mean():.1f} (std {g.std():.1f})  corr {torch.corrcoef(torch.stack([v, g]))[0, 1]:.2f}  '
              f'latent motion per step {step_motion:.1e}')
        for i in range(observations.shape[1]):
            print(f'  episode {i}: return {rewards[:, i].sum():6.1f}  mean |joint velocity| {observations[:, i, 4:6].abs().mean():5.2f}  '
                  f'saturated actions {(actions[:, i].abs() > 0.99).float().mean():.2f}  distance to target at the end '
                  f'{observations[-1, i, 2:4].norm():.3f}')
        torch.manual_seed(0)
        z = agent.wm.encode(trainer.buffer.sample_obs(2048)[0])
        line = [f'  imagined: V {agent.critic.value(z).mean():.1f} at t0']
        for t in range(1, agent.horizon + 1):
            z = agent.wm.next(z, agent.policy(z))
            if t in (1, 4, agent.horizon):
                projected = simplex_projection(z, agent.wm.simnorm_group)
                line.append(f't{t}: off-simplex {(z - projected).norm(dim=-1).mean():.3f}, V {agent.critic.value(z).mean():.1f}, '
                            f'V(projected) {agent.critic.value(projected).mean():.1f}')
        print('; '.join(line), flush=True)
