import numpy as np
import pytest

import saessak
import saessak.nn as nn
from tests.helpers import check_op, requires_torch, torch


def test_distances_match_torch():
    check_op(lambda lib, a, b: lib.nn.functional.cosine_similarity(a, b), (4, 3), (4, 3))
    check_op(lambda lib, a, b: lib.nn.functional.cosine_similarity(a, b, dim=-1, eps=1e-6), (2, 1, 5), (3, 5))
    check_op(lambda lib, a, b: lib.nn.functional.pairwise_distance(a, b), (4, 3), (4, 3))
    check_op(lambda lib, a, b: lib.nn.functional.pairwise_distance(a, b, p=1.5, keepdim=True), (4, 3), (3,))
    check_op(lambda lib, a: lib.nn.functional.pdist(a), (5, 3))
    check_op(lambda lib, a: lib.nn.functional.pdist(a, p=3), (4, 2))


@requires_torch
def test_distance_modules_match_torch():
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    for ours, theirs in ((nn.CosineSimilarity(), torch.nn.CosineSimilarity()),
                         (nn.CosineSimilarity(dim=0, eps=1e-3), torch.nn.CosineSimilarity(dim=0, eps=1e-3)),
                         (nn.PairwiseDistance(), torch.nn.PairwiseDistance()),
                         (nn.PairwiseDistance(p=1.0, keepdim=True), torch.nn.PairwiseDistance(p=1.0, keepdim=True))):
        assert repr(ours) == repr(theirs)
        np.testing.assert_allclose(ours(saessak.tensor(a), saessak.tensor(b)).numpy(),
                                   theirs(torch.tensor(a), torch.tensor(b)).numpy(), rtol=1e-10)


def test_cosine_similarity_of_parallel_vectors_is_one():
    x = saessak.tensor([[1.0, 2.0, 2.0]])
    assert nn.functional.cosine_similarity(x, 3 * x).item() == pytest.approx(1.0)
    with pytest.raises(RuntimeError, match="pdist only supports 2D tensors, got: 3D"):
        nn.functional.pdist(saessak.ones(2, 2, 2))
