"""Hydra configs shipped with flow_mbpo (package data). Compose them with `flow_mbpo.core.compose_config`.

This folder is the one part of `flow_mbpo/` that is edited by hand (it is not exported from notebooks).
"""
