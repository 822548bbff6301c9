"""Monte Carlo expectations and maximum likelihood with saessak.distributions (seed 000).

Seed 000: when the distribution is known only through samples, an expectation is estimated by the average
over independent samples (the law of large numbers); maximum likelihood picks the parameters under which
the data are most likely, and with independent samples one minimises the negative log-likelihood, a sum
of ``log_prob`` terms, by gradient descent. This script

* estimates ``E[X^2]`` for ``X ~ Normal(1, 2)`` (exactly ``1^2 + 2^2 = 5``) and ``pi`` (4 times the share of
  points from ``Uniform`` on the square [-1, 1]^2 that fall inside the unit circle), with the standard error;
* fits ``Normal(loc, exp(log_scale))`` to data by minimising ``-log_prob(data).mean()`` with Adam and compares
  the answer with the closed form (sample mean, sample standard deviation);
* fits ``Bernoulli(logits=theta)`` the same way: the maximum-likelihood ``p`` is the sample mean.

    python examples/monte_carlo_mle.py [--samples 100000] [--steps 500] [--seed 0]
"""

from __future__ import annotations

import argparse
import math

import saessak as torch
from saessak.distributions import Bernoulli, Normal, Uniform


def monte_carlo(samples: int):
    """``{name: (estimate, standard error, exact)}`` for E[X^2] with X ~ Normal(1, 2), and for pi."""
    x = Normal(1.0, 2.0).sample((samples,))
    squares = x**2
    square = Uniform(torch.tensor([-1.0, -1.0]), torch.tensor([1.0, 1.0])).sample((samples,))  # (samples, 2)
    inside = ((square**2).sum(dim=1) <= 1).float() * 4  # 4 * the share inside the circle estimates pi
    results = {}
    for name, values, exact in (("E[X^2], X ~ Normal(1, 2)", squares, 5.0), ("pi", inside, math.pi)):
        estimate = values.mean().item()
        standard_error = values.std().item() / math.sqrt(samples)
        results[name] = (estimate, standard_error, exact)
    return results


def fit_normal(data, steps: int, lr: float = 0.05):
    """Maximum likelihood for ``Normal(loc, exp(log_scale))`` with Adam; ``exp`` keeps the scale positive."""
    loc = torch.zeros((), requires_grad=True)
    log_scale = torch.zeros((), requires_grad=True)
    optimizer = torch.optim.Adam([loc, log_scale], lr=lr)
    losses = []
    for _ in range(steps):
        negative_log_likelihood = -Normal(loc, log_scale.exp()).log_prob(data).mean()
        optimizer.zero_grad()
        negative_log_likelihood.backward()
        optimizer.step()
        losses.append(negative_log_likelihood.item())
    return loc.item(), log_scale.exp().item(), losses


def fit_bernoulli(data, steps: int, lr: float = 0.05):
    """Maximum likelihood for ``Bernoulli(logits=theta)``; returns ``p = sigmoid(theta)``."""
    theta = torch.zeros((), requires_grad=True)
    optimizer = torch.optim.Adam([theta], lr=lr)
    for _ in range(steps):
        negative_log_likelihood = -Bernoulli(logits=theta).log_prob(data).mean()
        optimizer.zero_grad()
        negative_log_likelihood.backward()
        optimizer.step()
    return torch.sigmoid(theta).item()


def main(samples: int = 100_000, data_size: int = 1000, steps: int = 500, seed: int = 0) -> dict:
    torch.manual_seed(seed)
    results: dict = {"monte_carlo": monte_carlo(samples)}
    print(f"Monte Carlo with {samples} samples:")
    for name, (estimate, standard_error, exact) in results["monte_carlo"].items():
        print(f"  {name:26s} estimate {estimate:.4f} +- {standard_error:.4f}   exact {exact:.4f}")

    true_loc, true_scale = 3.0, 0.5
    data = Normal(true_loc, true_scale).sample((data_size,))
    loc, scale, losses = fit_normal(data, steps)
    sample_mean = data.mean().item()
    sample_std = data.std(unbiased=False).item()  # the MLE divides by n, not n - 1
    results["normal"] = {"loc": loc, "scale": scale, "sample_mean": sample_mean, "sample_std": sample_std,
                         "true": (true_loc, true_scale), "losses": losses}
    print(f"Normal MLE on {data_size} draws from Normal({true_loc}, {true_scale}), {steps} Adam steps:")
    print(f"  loc   {loc:.4f}  (sample mean {sample_mean:.4f})")
    print(f"  scale {scale:.4f}  (sample std  {sample_std:.4f})   negative log-likelihood "
          f"{losses[0]:.4f} -> {losses[-1]:.4f}")

    true_p = 0.3
    flips = Bernoulli(torch.tensor(true_p)).sample((data_size,))
    p = fit_bernoulli(flips, steps)
    results["bernoulli"] = {"p": p, "sample_mean": flips.mean().item(), "true": true_p}
    print(f"Bernoulli MLE on {data_size} flips of a p={true_p} coin: p = {p:.4f}  "
          f"(sample mean {flips.mean().item():.4f})")
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=100_000)
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    main(samples=args.samples, steps=args.steps, seed=args.seed)
