"""``Module.summary``: one forward pass with hooks, then a table of layers, output shapes and parameter counts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad


def _shapes(value: Any) -> list:
    if isinstance(value, Tensor):
        return [[-1, *value.shape[1:]]]
    if isinstance(value, (list, tuple)):
        return [s for item in value for s in _shapes(item)]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _shapes(item)]
    return []


def _inputs(input_size, input_data, batch_size: int, dtypes, device) -> tuple:
    from ...creation import zeros

    if input_data is not None:
        return tuple(input_data) if isinstance(input_data, (list, tuple)) else (input_data,)
    if input_size is None:
        raise ValueError("summary() needs input_size (e.g. (1, 28, 28), without the batch dimension) or input_data")
    sizes = [input_size] if isinstance(input_size[0], int) else list(input_size)
    dtypes = list(dtypes) if dtypes is not None else [None] * len(sizes)
    batch = batch_size if batch_size and batch_size > 0 else 2  # two samples: BatchNorm needs more than one
    return tuple(zeros(batch, *size, dtype=dtype, device=device) for size, dtype in zip(sizes, dtypes))


def summary(module, input_size: Sequence | None = None, *, input_data: Any = None, batch_size: int = -1,
            dtypes: Sequence | None = None, device=None, print_fn: Callable[[str], Any] | None = print) -> str:
    """Run one forward pass and tabulate each layer's output shape and parameter count.

    ``input_size`` leaves out the batch dimension: ``model.summary((1, 28, 28))``. The module's training mode
    and parameters are unchanged (the pass runs in eval mode under no_grad). Returns the table as text.
    """
    rows: list[tuple[str, str, int]] = []
    counts: dict[str, int] = {}
    handles = []

    def hook(layer, _inputs, output):
        kind = type(layer).__name__
        counts[kind] = counts.get(kind, 0) + 1
        params = sum(p.numel() for p in layer.parameters(recurse=False))
        shapes = _shapes(output)
        shape_text = ", ".join(str(s) for s in shapes) if len(shapes) != 1 else str(shapes[0])
        rows.append((f"{kind}-{len(rows) + 1}", shape_text, params))

    for layer in module.modules():
        if layer is not module and not any(True for _ in layer.children()):
            handles.append(layer.register_forward_hook(hook))
    if not handles:  # a module with no submodules summarises itself
        handles.append(module.register_forward_hook(hook))
    was_training = module.training
    try:
        module.eval()
        with no_grad():
            module(*_inputs(input_size, input_data, batch_size, dtypes, device))
    finally:
        module.train(was_training)
        for handle in handles:
            handle.remove()

    total = sum(p.numel() for p in module.parameters())
    trainable = sum(p.numel() for p in module.parameters() if p.requires_grad)
    buffers = sum(b.numel() for b in module.buffers())
    width = max([64] + [len(r[0]) + len(r[1]) + 30 for r in rows])
    lines = ["-" * width, f"{'Layer (type)':>20}  {'Output Shape':>25} {'Param #':>15}", "=" * width]
    lines += [f"{name:>20}  {shape:>25} {params:>15,}" for name, shape, params in rows]
    lines += ["=" * width, f"Total params: {total:,}", f"Trainable params: {trainable:,}",
              f"Non-trainable params: {total - trainable:,}"]
    if buffers:
        lines.append(f"Buffers (e.g. running statistics): {buffers:,}")
    lines.append("-" * width)
    text = "\n".join(lines)
    if print_fn is not None:
        print_fn(text)
    return text
