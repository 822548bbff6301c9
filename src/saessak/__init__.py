"""saessak (새싹): a readable define-by-run deep-learning framework on NumPy.

``import saessak as torch`` runs PyTorch-style code: tensors, autograd and the op library live here.
"""

from __future__ import annotations

from . import autograd, cuda, dtypes
from ._tensor import Size, Tensor
from .autograd import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .backend import Device, device
from .creation import (
    BoolTensor, ByteTensor, CharTensor, DoubleTensor, FloatTensor, HalfTensor, IntTensor, LongTensor,
    ShortTensor, arange, as_tensor, asarray, empty, empty_like, eye, from_numpy, full, full_like,
    is_tensor, linspace, logspace, numel, ones, ones_like, scalar_tensor, tensor, zeros, zeros_like,
)
from .dtypes import (
    bfloat16, bool, double, dtype, float, float16, float32, float64, get_default_dtype, half, int, int8,
    int16, int32, int64, long, promote_types, result_type, set_default_dtype, short, uint8,
)
from .ops.arithmetic import (
    add, addcdiv, addcmul, allclose, bitwise_and, bitwise_not, bitwise_or, bitwise_xor, div, divide, eq, equal,
    floor_divide, fmod, ge, greater, greater_equal, gt, isclose, le, less, less_equal, logical_and,
    logical_not, logical_or, logical_xor, lt, mul, multiply, ne, neg, negative, not_equal, pow, remainder,
    rsub, sub, subtract, true_divide,
)

__version__ = "0.1.0"

# ---- unary exports (ops/unary.py, ops/softmax.py)
from .ops.softmax import log_softmax, softmax
from .ops.unary import (
    abs, abs_, absolute, acos, arccos, arcsin, arctan, arctan2, asin, atan, atan2, ceil, ceil_, clamp, clamp_,
    clamp_max, clamp_min, clip, clip_, cos, cos_, cosh, erf, erfinv, exp, exp2, exp_, expm1, fix, floor, floor_,
    fmax, fmin, frac, isfinite, isinf, isnan, isneginf, isposinf, lerp, log, log1p, log2, log10, log_, maximum,
    minimum, nan_to_num, nan_to_num_, reciprocal, reciprocal_, relu, relu_, round, round_, rsqrt, sigmoid,
    sigmoid_, sign, sgn, sin, sin_, sinh, sqrt, sqrt_, square, square_, tan, tanh, tanh_, trunc, trunc_, where,
)
# ---- reduce exports (ops/reduce.py, ops/sort.py)
from .ops.reduce import (
    all, amax, amin, any, argmax, argmin, count_nonzero, cumprod, cumsum, logsumexp, max, mean, min, nanmean,
    nansum, norm, prod, std, std_mean, sum, var, var_mean,
)
# ---- shape exports (ops/shape.py)
from .ops.join import column_stack, dstack, row_stack
from .ops.shape import (
    as_strided, atleast_1d, atleast_2d, atleast_3d, broadcast_shapes, broadcast_tensors, broadcast_to, cat, chunk,
    clone, concat, concatenate, diag, diag_embed, diagonal, flatten, flip, fliplr, flipud, hstack, movedim,
    moveaxis, narrow, permute, repeat_interleave, reshape, roll, split, squeeze, stack, swapaxes, swapdims, t,
    tensor_split, tile, trace, transpose, tril, triu, unbind, unflatten, unsqueeze, vstack,
)
# ---- index exports (ops/index.py)
from .ops.index import (
    argwhere, gather, index_add, index_copy, index_fill, index_put, index_select, masked_fill, masked_scatter,
    masked_select, nonzero, scatter, scatter_add, scatter_reduce, take, take_along_dim,
)
# ---- linalg exports (ops/linalg.py, linalg.py)
from .ops.linalg import addmm, addmv, baddbmm, bmm, dot, einsum, ger, inner, matmul, mm, mv, outer, tensordot
# ---- random exports (random.py)
