"""Variable-length sequences: padding them into one batch, and packing them for the recurrent layers.

A ``PackedSequence`` stores only the valid time steps of a batch, time-major, with the sequences sorted by
decreasing length: ``data`` holds step 0 of every sequence, then step 1 of those still running, and so on,
and ``batch_sizes[t]`` says how many sequences are still running at step ``t``. Packing and unpacking are
one gather each (integer indexing), so gradients flow between the padded and the packed forms.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterable, Sequence

import numpy as np

from ... import creation
from ..._tensor import Tensor

__all__ = [
    "PackedSequence",
    "invert_permutation",
    "pack_padded_sequence",
    "pad_packed_sequence",
    "pad_sequence",
    "unpad_sequence",
    "pack_sequence",
    "unpack_sequence",
]

_PackedSequenceBase = namedtuple("_PackedSequenceBase", ["data", "batch_sizes", "sorted_indices", "unsorted_indices"])


def _as_numpy(index: Tensor | None) -> np.ndarray | None:
    """An index tensor (on any device) as a NumPy int64 array."""
    return None if index is None else np.asarray(index.detach().cpu().numpy(), dtype=np.int64)


def invert_permutation(permutation: Tensor | None) -> Tensor | None:
    """The permutation ``inverse`` with ``inverse[permutation[i]] == i`` (None stays None).

    >>> invert_permutation(saessak.tensor([2, 0, 1]))
    tensor([1, 2, 0])
    """
    if permutation is None:
        return None
    order = _as_numpy(permutation)
    inverse = np.empty_like(order)
    inverse[order] = np.arange(order.size)
    return creation.tensor(inverse, dtype=permutation.dtype, device=permutation.device)


class PackedSequence(_PackedSequenceBase):
    """A batch of variable-length sequences, packed: ``(data, batch_sizes, sorted_indices, unsorted_indices)``.

    ``data`` (sum of lengths, *) holds the valid steps time-major, sequences sorted by decreasing length;
    ``batch_sizes`` (an int64 CPU tensor, one entry per time step) counts the sequences still running at each
    step; ``sorted_indices[i]`` is the original batch position of the i-th longest sequence, and
    ``unsorted_indices`` undoes it (both None when the batch was already sorted). Build one with
    ``pack_padded_sequence`` or ``pack_sequence`` rather than by hand.

    >>> packed = pack_sequence([saessak.ones(3, 2), saessak.ones(1, 2)])
    >>> packed.batch_sizes
    tensor([2, 1, 1])
    """

    def __new__(cls, data, batch_sizes: Tensor | None = None, sorted_indices: Tensor | None = None,
                unsorted_indices: Tensor | None = None) -> PackedSequence:
        if unsorted_indices is None:
            unsorted_indices = invert_permutation(sorted_indices)
        if batch_sizes is None:  # the old form PackedSequence((data, batch_sizes))
            if not (isinstance(data, (list, tuple)) and len(data) == 2):
                raise TypeError("PackedSequence expects (data, batch_sizes, ...) or a pair (data, batch_sizes), "
                                f"got {type(data).__name__}")
            data, batch_sizes = data
        if batch_sizes.device.type != "cpu":
            raise ValueError("batch_sizes should always be on CPU. Instances of PackedSequence should never be "
                             "created manually. They should be instantiated by functions like pack_sequence and "
                             "pack_padded_sequences in nn.utils.rnn.")
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)

    def to(self, *args, **kwargs) -> PackedSequence:
        """Move or cast ``data`` as ``Tensor.to`` does; the indices follow its device, batch_sizes stays on CPU."""
        data = self.data.to(*args, **kwargs)
        if data is self.data:
            return self
        sorted_indices = None if self.sorted_indices is None else self.sorted_indices.to(data.device)
        unsorted_indices = None if self.unsorted_indices is None else self.unsorted_indices.to(data.device)
        return type(self)(data, self.batch_sizes, sorted_indices, unsorted_indices)

    def cuda(self, *args, **kwargs) -> PackedSequence:
        """A copy with ``data`` on a CUDA device."""
        return self.to(self.data.cuda(*args, **kwargs).device)

    def cpu(self) -> PackedSequence:
        """A copy with ``data`` on the CPU."""
        return self.to("cpu")

    def double(self) -> PackedSequence:
        """``data`` cast to float64."""
        return self.to(dtype=_dtype("float64"))

    def float(self) -> PackedSequence:
        """``data`` cast to float32."""
        return self.to(dtype=_dtype("float32"))

    def half(self) -> PackedSequence:
        """``data`` cast to float16."""
        return self.to(dtype=_dtype("float16"))

    def long(self) -> PackedSequence:
        """``data`` cast to int64."""
        return self.to(dtype=_dtype("int64"))

    def int(self) -> PackedSequence:
        """``data`` cast to int32."""
        return self.to(dtype=_dtype("int32"))

    def short(self) -> PackedSequence:
        """``data`` cast to int16."""
        return self.to(dtype=_dtype("int16"))

    def char(self) -> PackedSequence:
        """``data`` cast to int8."""
        return self.to(dtype=_dtype("int8"))

    def byte(self) -> PackedSequence:
        """``data`` cast to uint8."""
        return self.to(dtype=_dtype("uint8"))

    def pin_memory(self) -> PackedSequence:
        """Returns itself: saessak has no pinned host memory."""
        return self

    def is_pinned(self) -> bool:
        """Always False: saessak has no pinned host memory."""
        return False

    @property
    def is_cuda(self) -> bool:
        """Whether ``data`` lives on a CUDA device."""
        return self.data.is_cuda


def _dtype(name: str):
    from ... import dtypes

    return getattr(dtypes, name)


# ---------------------------------------------------------------- padding
def pad_sequence(sequences: Tensor | Iterable[Tensor], batch_first: bool = False, padding_value: float = 0.0,
                 padding_side: str = "right") -> Tensor:
    """Stack tensors of shape (L_i, *) into (max L, B, *) (or (B, max L, *)), padding with ``padding_value``.

    ``padding_side='left'`` puts the padding before each sequence instead of after it.

    >>> pad_sequence([saessak.ones(3), saessak.ones(1)], batch_first=True)
    tensor([[1., 1., 1.],
            [1., 0., 0.]])
    """
    from ...ops.join import stack
    from ..modules.padding import pad

    if padding_side not in ("left", "right"):
        raise RuntimeError(f"Expected padding_side to be one of left or right, but got {padding_side}.")
    if not isinstance(sequences, Iterable):
        raise RuntimeError(f"pad_sequence: Expected iterable for input sequences, but got arg of type: "
                           f"{type(sequences)}")
    sequences = list(sequences)
    longest = max(s.shape[0] for s in sequences)
    padded = []
    for s in sequences:
        extra = longest - s.shape[0]
        widths = [0, 0] * (s.ndim - 1) + ([0, extra] if padding_side == "right" else [extra, 0])
        padded.append(pad(s, tuple(widths), value=padding_value) if extra else s)
    return stack(padded, 0 if batch_first else 1)


def unpad_sequence(padded_sequences: Tensor, lengths: Tensor | Sequence[int], batch_first: bool = False
                   ) -> list[Tensor]:
    """Undo ``pad_sequence``: split a padded (T, B, *) (or (B, T, *)) batch into B tensors of shape (L_i, *).

    >>> [s.shape[0] for s in unpad_sequence(saessak.zeros(3, 2, 4), [3, 1])]
    [3, 1]
    """
    if not batch_first:
        padded_sequences = padded_sequences.transpose(0, 1)
    lengths = lengths.tolist() if isinstance(lengths, Tensor) else list(lengths)
    return [sequence[:int(length)] for sequence, length in zip(padded_sequences, lengths)]


# ---------------------------------------------------------------- packing
def _lengths_array(lengths: Tensor | Sequence[int]) -> np.ndarray:
    """``lengths`` (a list or a tensor on any device) as a 1-D NumPy int64 array, truncating as ``.long()`` does."""
    if isinstance(lengths, Tensor):
        lengths = lengths.detach().cpu().numpy()
    return np.asarray(lengths).astype(np.int64).reshape(-1)


def _batch_sizes(sorted_lengths: np.ndarray) -> np.ndarray:
    """How many of the (decreasingly sorted) sequences are still running at each time step."""
    steps = np.arange(int(sorted_lengths[0]))
    return (sorted_lengths[None, :] > steps[:, None]).sum(1).astype(np.int64)


def pack_padded_sequence(input: Tensor, lengths: Tensor | Sequence[int], batch_first: bool = False,
                         enforce_sorted: bool = True) -> PackedSequence:
    """Pack a padded batch (T, B, *) (or (B, T, *) with ``batch_first``) whose sequences have ``lengths``.

    With ``enforce_sorted=True`` the lengths must already decrease; otherwise the batch is sorted here and
    the permutation kept in ``sorted_indices`` so ``pad_packed_sequence`` (and the recurrent layers' final
    states) come back in the original order. Differentiable with respect to ``input``.

    >>> packed = pack_padded_sequence(saessak.zeros(3, 2, 4), [3, 1])
    >>> packed.data.shape, packed.batch_sizes
    (torch.Size([4, 4]), tensor([2, 1, 1]))
    """
    lengths = _lengths_array(lengths)
    time_dim, batch_dim = (1, 0) if batch_first else (0, 1)
    if input.ndim < 2:
        raise ValueError(f"pack_padded_sequence expects input of shape (T, B, *) or (B, T, *) with batch_first, "
                         f"got shape {tuple(input.shape)}")
    steps, batch = input.shape[time_dim], input.shape[batch_dim]
    if enforce_sorted:
        order = None
    else:
        order = np.argsort(-lengths, kind="stable")  # stable: ties keep their order, as PyTorch's sort does
        lengths = lengths[order]
    if input.numel() == 0:
        raise RuntimeError("Cannot pack empty tensors.")
    if lengths.size != batch:
        raise RuntimeError(f"Expected `len(lengths)` to be equal to batch_size, but got {lengths.size} "
                           f"(batch_size={batch})")
    if lengths[-1] <= 0:
        raise RuntimeError("Length of all samples has to be greater than 0, but found an element in 'lengths' "
                           "that is <= 0")
    if np.any(lengths[1:] > lengths[:-1]):
        raise RuntimeError("`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You "
                           "can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to "
                           "sidestep this requirement if you do not need ONNX exportability.")
    if lengths[0] > steps:
        raise RuntimeError(f"pack_padded_sequence: a sequence has length {int(lengths[0])} but the input holds only "
                           f"{steps} time steps (input shape {tuple(input.shape)}, batch_first={batch_first}); "
                           "every length must be at most the size of the time dimension")
    batch_sizes = _batch_sizes(lengths)
    columns = np.arange(batch) if order is None else order  # original batch position of each sorted sequence
    times = np.repeat(np.arange(batch_sizes.size), batch_sizes)
    sources = np.concatenate([columns[:size] for size in batch_sizes])
    flat = sources * steps + times if batch_first else times * batch + sources
    data = input.reshape(steps * batch, *input.shape[2:])[flat]
    sorted_indices = None
    if order is not None:
        sorted_indices = creation.tensor(order, dtype=_dtype("int64"), device=input.device)
    return PackedSequence(data, creation.tensor(batch_sizes, dtype=_dtype("int64")), sorted_indices, None)


def pad_packed_sequence(sequence: PackedSequence, batch_first: bool = False, padding_value: float = 0.0,
                        total_length: int | None = None) -> tuple[Tensor, Tensor]:
    """Undo ``pack_padded_sequence``: returns ``(padded, lengths)``, in the batch's original order.

    ``padded`` is (T, B, *) (or (B, T, *) with ``batch_first``), T the longest length or ``total_length``;
    ``lengths`` is an int64 CPU tensor. Differentiable with respect to ``sequence.data``.

    >>> padded, lengths = pad_packed_sequence(pack_sequence([saessak.ones(2), saessak.ones(1)]))
    >>> padded, lengths
    (tensor([[1., 1.],
            [1., 0.]]), tensor([2, 1]))
    """
    from ...ops.join import cat

    data = sequence.data
    batch_sizes = _as_numpy(sequence.batch_sizes)
    steps, batch = batch_sizes.size, int(batch_sizes[0])
    if total_length is not None:
        if total_length < steps:
            raise ValueError("Expected total_length to be at least the length of the longest sequence in input, "
                             f"but got total_length={total_length} and max sequence length being {steps}")
        steps = total_length
    lengths = (batch_sizes[None, :] > np.arange(batch)[:, None]).sum(1)  # per sorted sequence
    columns = np.arange(batch) if sequence.unsorted_indices is None else _as_numpy(sequence.unsorted_indices)
    offsets = np.concatenate([[0], np.cumsum(batch_sizes)])
    times = np.arange(steps)[:, None]
    valid = times < lengths[columns][None, :]
    # position of step t of (sorted) sequence b in data is offsets[t] + b; padding reads an appended row
    flat = np.where(valid, offsets[np.minimum(times, batch_sizes.size - 1)] + columns[None, :], data.shape[0])
    if batch_first:
        flat = flat.T
    padding = data.new_full((1, *data.shape[1:]), padding_value)
    padded = cat([data, padding], 0)[flat.reshape(-1)].reshape(*flat.shape, *data.shape[1:])
    return padded, creation.tensor(lengths[columns], dtype=_dtype("int64"))


def pack_sequence(sequences: Sequence[Tensor], enforce_sorted: bool = True) -> PackedSequence:
    """Pack a list of tensors of shape (L_i, *) (longest first, unless ``enforce_sorted=False``).

    >>> pack_sequence([saessak.tensor([1, 2, 3]), saessak.tensor([4])]).data
    tensor([1, 4, 2, 3])
    """
    lengths = [s.shape[0] for s in sequences]
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences: PackedSequence) -> list[Tensor]:
    """Undo ``pack_sequence``: the list of tensors of shape (L_i, *), in the original order.

    >>> [s.tolist() for s in unpack_sequence(pack_sequence([saessak.tensor([1, 2]), saessak.tensor([3])]))]
    [[1, 2], [3]]
    """
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
