"""Move weights between a torch module and a saessak module through their state_dicts (test utility)."""

from __future__ import annotations

import numpy as np

import saessak


def torch_to_saessak(state_dict) -> dict:
    """A torch state_dict as a saessak one (same keys, float64/float32 preserved)."""
    return {k: saessak.tensor(v.detach().cpu().numpy()) for k, v in state_dict.items()}


def saessak_to_torch(state_dict) -> dict:
    """A saessak state_dict as a torch one."""
    import torch

    return {k: torch.tensor(np.asarray(v.detach().numpy())) for k, v in state_dict.items()}


def copy_weights(torch_module, saessak_module) -> None:
    """Load the torch module's weights into the saessak module (strict: the key sets must agree)."""
    saessak_module.load_state_dict(torch_to_saessak(torch_module.state_dict()))
