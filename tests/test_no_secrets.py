"""No secrets in the repository: no wandb API key or similar token in any tracked file, no credential files, and every
`torch.load` of a file uses `weights_only=True` (which cannot run code from the file)."""
import re, subprocess
from pathlib import Path

import pytest

KEYISH = r'(?:api[_-]?key|apikey|secret|token|password|passwd|auth)'
SECRET_PATTERNS = {
    # wandb API keys are 40 hex digits (also >= 40 for newer ones): after a key-ish name, `wandb login`, or in a .netrc
    'wandb/API key': re.compile(KEYISH + r'''["']?\s*[:=]\s*["']?[0-9a-f]{40,}\b''', re.I),
    'wandb login': re.compile(r'wandb\s+login\s+(?:--relogin\s+)?[0-9a-f]{40,}\b'),
    'netrc password': re.compile(r'\bpassword\s+[0-9a-f]{40,}\b'),
    'GitHub token': re.compile(r'\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})'),
    'AWS access key': re.compile(r'\bAKIA[0-9A-Z]{16}\b'),
    'Hugging Face token': re.compile(r'\bhf_[A-Za-z0-9]{34,}\b'),
    'OpenAI-style key': re.compile(r'\bsk-[A-Za-z0-9_-]{32,}'),
    'Slack token': re.compile(r'\bxox[abprs]-[A-Za-z0-9-]{10,}'),
    'private key': re.compile(r'-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----'),
}
CREDENTIAL_FILES = re.compile(r'(?:^|/)(?:\.netrc|_netrc|\.env|id_rsa|id_ed25519|credentials|.*\.pem|.*\.key)$')


def find_secrets(text: str) -> list[str]:
    "The names of the secret patterns found in `text`."
    return [name for name, pattern in SECRET_PATTERNS.items() if pattern.search(text)]


def tracked_files(root: Path) -> list[Path]:
    r = subprocess.run(['git', '-C', str(root), 'ls-files', '-z'], capture_output=True, text=True)
    if r.returncode: pytest.skip(f'not a git checkout: {r.stderr.strip()}')
    return [root / p for p in r.stdout.split('\0') if p and (root / p).is_file()]


def test_the_detector_finds_planted_secrets():
    fake_hex = ''.join('0123456789abcdef'[i % 16] for i in range(40))   # built here, so no key is written in this file
    planted = [f'WANDB_API_KEY={fake_hex}', f'"api_key": "{fake_hex}"', f'wandb login {fake_hex}',
               f'machine api.wandb.ai\n  login user\n  password {fake_hex}', 'gh' + 'p_' + 'A1' * 18, 'AKIA' + 'ABCD1234' * 2,
               'hf' + '_' + 'aB3' * 12, '-----BEGIN RSA ' + 'PRIVATE KEY-----']
    for text in planted: assert find_secrets(text), text
    for harmless in [f'git_sha: {fake_hex}', f'"git_sha": "{fake_hex}"', 'token_hex(3)', 'wandb.mode=disabled',
                     'WANDB_API_KEY=$(cat ~/.wandb_key)']:
        assert not find_secrets(harmless), harmless


def test_no_secrets_in_tracked_files(repo_root):
    found = []
    for path in tracked_files(repo_root):
        rel = path.relative_to(repo_root).as_posix()
        if CREDENTIAL_FILES.search(rel): found.append(f'{rel}: a credential file is tracked')
        try: text = path.read_text(encoding='utf-8')
        except UnicodeDecodeError: continue   # binary
        found += [f'{rel}: {name}' for name in find_secrets(text)]
    assert not found, 'secrets committed (remove them and rotate the keys):\n' + '\n'.join(found)


def test_torch_load_uses_weights_only(repo_root):
    calls = re.compile(r'torch\.load\((?:[^()]|\([^()]*\))*\)')
    unsafe = []
    for path in tracked_files(repo_root):
        if path.suffix not in ('.py', '.ipynb', '.md'): continue
        for call in calls.findall(path.read_text(encoding='utf-8')):
            if 'weights_only=True' not in call: unsafe.append(f'{path.relative_to(repo_root)}: {call[:120]}')
    assert not unsafe, 'torch.load without weights_only=True:\n' + '\n'.join(unsafe)
