"""The workloads, each written once against the PyTorch API and run with ``lib`` = saessak or torch."""

from __future__ import annotations

import numpy as np

CHAIN_LENGTH = 200
MLP_SIZES = (784, 512, 512, 10)
BATCH = 128


# ---------------------------------------------------------------- per-op cost
def op_chain(lib, x0):
    """200 elementwise ops on a (16,) tensor, then sum().backward()."""
    x = x0
    for _ in range(CHAIN_LENGTH // 4):
        x = x * 1.0001
        x = x + 0.001
        x = x.tanh()
        x = x - 0.0005
    x.sum().backward()


def make_op_chain(lib):
    x0 = lib.ones(16, requires_grad=True)

    def run():
        x0.grad = None
        op_chain(lib, x0)

    return run


# ---------------------------------------------------------------- MLP 784-512-512-10 with SGD
def numpy_mlp_params(seed: int = 0) -> list:
    """The initial weights of ``init_mlp`` as float32 arrays (same generator, same order)."""
    rng = np.random.default_rng(seed)
    params = []
    for fan_in, fan_out in zip(MLP_SIZES[:-1], MLP_SIZES[1:]):
        bound = 1.0 / np.sqrt(fan_in)
        params += [rng.uniform(-bound, bound, (fan_in, fan_out)).astype(np.float32),
                   rng.uniform(-bound, bound, (fan_out,)).astype(np.float32)]
    return params


def numpy_data(seed: int = 1):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((BATCH, MLP_SIZES[0])).astype(np.float32), rng.integers(0, MLP_SIZES[-1], BATCH)


def init_mlp(lib, seed: int = 0):
    """Weights drawn with NumPy so both frameworks (and the NumPy version) start from identical values."""
    return [lib.tensor(p, requires_grad=True) for p in numpy_mlp_params(seed)]


def mlp_forward(lib, params, x):
    w1, b1, w2, b2, w3, b3 = params
    h = (x @ w1 + b1).relu()
    h = (h @ w2 + b2).relu()
    return h @ w3 + b3


def mlp_step(lib, params, x, y, lr: float = 0.01):
    """One SGD step on cross-entropy; returns the loss tensor."""
    logits = mlp_forward(lib, params, x)
    log_probs = logits.log_softmax(1)
    loss = -log_probs.gather(1, y.unsqueeze(1)).mean()
    loss.backward()
    with lib.no_grad():
        for p in params:
            p -= lr * p.grad
            p.grad = None
    return loss


def make_data(lib, seed: int = 1):
    x, y = numpy_data(seed)
    return lib.tensor(x), lib.tensor(y)


def make_mlp(lib):
    params = init_mlp(lib)
    x, y = make_data(lib)

    def run():
        mlp_step(lib, params, x, y)

    return run


def losses_after(lib, steps: int = 20) -> list[float]:
    """The loss curve over ``steps`` SGD steps from the shared initial weights (the correctness check)."""
    params = init_mlp(lib)
    x, y = make_data(lib)
    return [mlp_step(lib, params, x, y).item() for _ in range(steps)]


# ---------------------------------------------------------------- the same MLP in plain NumPy
def numpy_mlp_step(params, x, y, lr: float = 0.01) -> float:
    """``mlp_step`` written by hand: forward, cross-entropy, backward and SGD update in place; returns the loss."""
    w1, b1, w2, b2, w3, b3 = params
    rows = np.arange(len(y))
    z1 = x @ w1 + b1
    h1 = np.maximum(z1, 0)
    z2 = h1 @ w2 + b2
    h2 = np.maximum(z2, 0)
    shifted = h2 @ w3 + b3
    shifted -= shifted.max(1, keepdims=True)
    exp = np.exp(shifted)
    total = exp.sum(1, keepdims=True)
    loss = float(np.log(total[:, 0]).mean() - shifted[rows, y].mean())
    g = exp / total  # d loss / d logits = (softmax - one_hot) / batch
    g[rows, y] -= 1
    g /= len(y)
    gw3, gb3 = h2.T @ g, g.sum(0)
    g = (g @ w3.T) * (z2 > 0)
    gw2, gb2 = h1.T @ g, g.sum(0)
    g = (g @ w2.T) * (z1 > 0)
    gw1, gb1 = x.T @ g, g.sum(0)
    for p, gp in zip(params, (gw1, gb1, gw2, gb2, gw3, gb3)):
        p -= lr * gp
    return loss


def make_numpy_mlp():
    params = numpy_mlp_params()
    x, y = numpy_data()

    def run():
        numpy_mlp_step(params, x, y)

    return run


def numpy_losses_after(steps: int = 20) -> list[float]:
    """The NumPy version's loss curve from the same weights and data as ``losses_after``."""
    params = numpy_mlp_params()
    x, y = numpy_data()
    return [numpy_mlp_step(params, x, y) for _ in range(steps)]


# ---------------------------------------------------------------- the same MLP written with nn modules
def make_module_mlp(lib):
    """The MLP as most programs write it: nn.Sequential of nn.Linear/nn.ReLU, nn.CrossEntropyLoss, SGD with
    momentum, ``zero_grad``/``backward``/``step``; same weights and data as ``make_mlp``. Returns (run, losses)."""
    nn = lib.nn
    model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
    with lib.no_grad():
        linears = [m for m in model if isinstance(m, nn.Linear)]
        weights = numpy_mlp_params()
        for layer, w, b in zip(linears, weights[::2], weights[1::2]):
            layer.weight.copy_(lib.tensor(w.T.copy()))
            layer.bias.copy_(lib.tensor(b))
    loss_fn = nn.CrossEntropyLoss()
    optimizer = lib.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x, y = make_data(lib)

    def run():
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        return loss

    return run


def module_losses_after(lib, steps: int = 20) -> list[float]:
    """The module MLP's loss curve over ``steps`` steps (the correctness check)."""
    run = make_module_mlp(lib)
    return [run().item() for _ in range(steps)]


# ---------------------------------------------------------------- MLP inference
def make_inference(lib, batch: int):
    params = init_mlp(lib)
    x = lib.tensor(np.random.default_rng(2).standard_normal((batch, MLP_SIZES[0])).astype(np.float32))

    def run():
        with lib.no_grad():
            mlp_forward(lib, params, x)

    return run


# ---------------------------------------------------------------- LeNet-style CNN training step
def make_lenet(lib, batch: int = 64):
    """Conv(1->6,5,pad 2) relu maxpool, Conv(6->16,5) relu maxpool, 400-120-84-10, SGD; 1x28x28 inputs."""
    nn = lib.nn
    lib.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU() if hasattr(nn, "ReLU") else nn.Identity(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU() if hasattr(nn, "ReLU") else nn.Identity(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.Linear(120, 84), nn.Linear(84, 10),
    )
    rng = np.random.default_rng(3)
    x = lib.tensor(rng.standard_normal((batch, 1, 28, 28)).astype(np.float32))
    y = lib.tensor(rng.integers(0, 10, batch))
    params = list(model.parameters())

    def run():
        loss = -model(x).log_softmax(1).gather(1, y.unsqueeze(1)).mean()
        loss.backward()
        with lib.no_grad():
            for p in params:
                p -= 0.01 * p.grad
                p.grad = None

    return run


# ---------------------------------------------------------------- LSTM forward + backward
def make_lstm(lib, batch: int = 32, seq: int = 32, inputs: int = 64, hidden: int = 128):
    lib.manual_seed(0)
    lstm = lib.nn.LSTM(inputs, hidden)
    x = lib.tensor(np.random.default_rng(4).standard_normal((seq, batch, inputs)).astype(np.float32))

    def run():
        out, (h, c) = lstm(x)
        out.sum().backward()
        for p in lstm.parameters():
            p.grad = None

    return run


# ---------------------------------------------------------------- Adam step over 100 parameter tensors
ADAM_SHAPES = [(256, 256), (256,), (64, 256), (64,)]  # cycled: 100 tensors, a mix of matrices and vectors


def make_adam(lib, n: int = 100):
    """One ``optimizer.step()`` of Adam over ``n`` parameters with fixed gradients."""
    rng = np.random.default_rng(5)
    params = []
    for i in range(n):
        shape = ADAM_SHAPES[i % len(ADAM_SHAPES)]
        p = lib.tensor(rng.standard_normal(shape).astype(np.float32), requires_grad=True)
        p.grad = lib.tensor(rng.standard_normal(shape).astype(np.float32))
        params.append(p)
    optimizer = lib.optim.Adam(params, lr=1e-3)

    def run():
        optimizer.step()

    return run


def adam_trajectory(lib, steps: int = 10) -> np.ndarray:
    """The first parameter after ``steps`` Adam steps on fixed gradients (the correctness check)."""
    rng = np.random.default_rng(6)
    p = lib.tensor(rng.standard_normal((8, 8)).astype(np.float32), requires_grad=True)
    optimizer = lib.optim.Adam([p], lr=1e-2, weight_decay=1e-3, amsgrad=True)
    for k in range(steps):
        p.grad = lib.tensor(np.sin(np.arange(64, dtype=np.float32) * (k + 1)).reshape(8, 8))
        optimizer.step()
    return p.detach().numpy()


# ---------------------------------------------------------------- a DataLoader epoch
LOADER_SAMPLES, LOADER_FEATURES, LOADER_BATCH = 60_000, 784, 128


def make_loader_epoch(lib):
    """One shuffled epoch over 60,000 samples of 784 floats in batches of 128 (TensorDataset + DataLoader)."""
    rng = np.random.default_rng(7)
    x = lib.tensor(rng.standard_normal((LOADER_SAMPLES, LOADER_FEATURES)).astype(np.float32))
    y = lib.tensor(rng.integers(0, 10, LOADER_SAMPLES))
    data = lib.utils.data
    loader = data.DataLoader(data.TensorDataset(x, y), batch_size=LOADER_BATCH, shuffle=True,
                             generator=lib.Generator().manual_seed(0))

    def run():
        total = features = 0
        for inputs, labels in loader:
            total += int(labels.shape[0])
            features = int(inputs.shape[1])
        assert total == LOADER_SAMPLES and features == LOADER_FEATURES

    return run
