import re
import shutil

import pytest

import saessak
import saessak.nn as nn
from saessak.viz import plot_graph, plot_history, to_dot


def _edges(dot: str) -> list[tuple[str, str]]:
    return re.findall(r"^\s*(\w+) -> (\w+);$", dot, flags=re.M)


def _labels(dot: str) -> dict[str, str]:
    return dict(re.findall(r'^\s*(\w+) \[label="([^"]*)"', dot, flags=re.M))


def test_dot_names_ops_shapes_and_leaves():
    model = nn.Linear(3, 2)
    x = saessak.randn(4, 3)
    loss = model(x).relu().sum()
    dot = to_dot(loss, dict(model.named_parameters()))
    assert dot.startswith('digraph "graph" {') and dot.rstrip().endswith("}")
    labels = _labels(dot)
    assert any(v.startswith("SumBackward0") for v in labels.values())
    assert any(v.startswith("ReluBackward0\\n(4, 2)") for v in labels.values())
    assert "weight\\n(2, 3)" in labels.values() and "bias\\n(2,)" in labels.values()
    # every edge joins declared nodes, and the output is reached from both parameters
    edges = _edges(dot)
    assert edges and all(a in labels and b in labels for a, b in edges)
    graph: dict[str, list[str]] = {}
    for a, b in edges:
        graph.setdefault(a, []).append(b)

    def reaches(node, target):
        stack, seen = [node], set()
        while stack:
            n = stack.pop()
            if n == target:
                return True
            if n not in seen:
                seen.add(n)
                stack.extend(graph.get(n, []))
        return False

    out = next(k for k, v in labels.items() if v.startswith("output"))
    for name in ("weight\\n(2, 3)", "bias\\n(2,)"):
        leaf = next(k for k, v in labels.items() if v == name)
        assert reaches(leaf, out)


def test_graph_of_a_gradient_and_a_deep_chain():
    x = saessak.tensor([1.0, 2.0], requires_grad=True)
    (g,) = saessak.autograd.grad((x ** 3).sum(), x, create_graph=True)
    dot = plot_graph(g).source
    assert "PowBackward" in dot or "MulBackward" in dot
    y = x
    for _ in range(3000):  # deeper than Python's recursion limit
        y = y * 1.0
    assert dot.count("->") > 0 and to_dot(y.sum()).count("MulBackward0") == 3000


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot program is not installed")
def test_svg_and_png_rendering(tmp_path):
    pytest.importorskip("graphviz")
    x = saessak.randn(2, requires_grad=True)
    graph = plot_graph((x * x).sum(), filename=str(tmp_path / "g.svg"))
    assert (tmp_path / "g.svg").read_text().lstrip().startswith(("<?xml", "<svg"))
    graph.save(str(tmp_path / "g.png"))
    assert (tmp_path / "g.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert graph._repr_svg_().lstrip().startswith(("<?xml", "<svg"))


def test_dot_file_needs_no_graphviz(tmp_path):
    x = saessak.randn(2, requires_grad=True)
    plot_graph(x.exp().sum(), filename=str(tmp_path / "g.dot"))
    assert (tmp_path / "g.dot").read_text().startswith("digraph")


def test_plot_history_writes_a_png(tmp_path):
    pytest.importorskip("matplotlib")
    fig = plot_history({"loss": [1.0, 0.6, 0.4], "val_loss": [1.1, 0.8, 0.7], "accuracy": [0.5, 0.7, 0.8]},
                       filename=str(tmp_path / "curves.png"))
    assert len(fig.axes) == 2
    assert (tmp_path / "curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(ValueError, match="no values recorded for \\['acc'\\]"):
        plot_history({"loss": [1.0]}, metrics=["acc"])
