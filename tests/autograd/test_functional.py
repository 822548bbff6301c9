import numpy as np

import saessak
from saessak.autograd import functional as F
from tests.helpers import requires_torch, torch


def _f(x, y):
    return (x * y.exp()).sum(0) + x.sin()


@requires_torch
def test_jacobian_hessian_vjp_jvp_match_torch():
    rng = np.random.default_rng(0)
    xs, ys = rng.standard_normal((2, 3)), rng.standard_normal((2, 3))
    ours = (saessak.tensor(xs), saessak.tensor(ys))
    theirs = (torch.tensor(xs), torch.tensor(ys))
    for a, b in zip(F.jacobian(_f, ours), torch.autograd.functional.jacobian(_f, theirs)):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-10)
    vo, vt = saessak.ones(2, 3), torch.ones(2, 3)
    _, ours_vjp = F.vjp(lambda x: x.exp() * x, ours[0], vo)
    _, theirs_vjp = torch.autograd.functional.vjp(lambda x: x.exp() * x, theirs[0], vt)
    np.testing.assert_allclose(ours_vjp.numpy(), theirs_vjp.numpy(), rtol=1e-10)
    _, ours_jvp = F.jvp(lambda x: x.exp() * x, ours[0], vo)
    _, theirs_jvp = torch.autograd.functional.jvp(lambda x: x.exp() * x, theirs[0], vt)
    np.testing.assert_allclose(ours_jvp.numpy(), theirs_jvp.numpy(), rtol=1e-10)
    h_ours = F.hessian(lambda x: (x**3).sum() * x.sum(), ours[0])
    h_theirs = torch.autograd.functional.hessian(lambda x: (x**3).sum() * x.sum(), theirs[0])
    np.testing.assert_allclose(h_ours.numpy(), h_theirs.numpy(), rtol=1e-10)
    _, hv_ours = F.hvp(lambda x: (x**3).sum(), ours[0], vo)
    _, hv_theirs = torch.autograd.functional.hvp(lambda x: (x**3).sum(), theirs[0], vt)
    np.testing.assert_allclose(hv_ours.numpy(), hv_theirs.numpy(), rtol=1e-10)


def test_jacobian_of_a_linear_map_is_its_matrix():
    a = saessak.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    jac = F.jacobian(lambda x: a @ x, saessak.tensor([0.5, -1.0]))
    assert jac.tolist() == a.tolist()
    h = F.hessian(lambda x: (x * x).sum(), saessak.tensor([1.0, 2.0]))
    assert h.tolist() == [[2.0, 0.0], [0.0, 2.0]]
