"""A character-level language model: nn.Embedding -> nn.LSTM -> nn.Linear, on the opening of "Alice".

The text (``examples/data/alice.txt``, public domain) becomes a list of character ids. It is cut into
``batch_size`` parallel streams, and each training step reads the next ``seq_len`` characters of every
stream and learns to predict each following character (cross-entropy). The LSTM state is carried from one
chunk to the next but detached from the graph: truncated backpropagation through time, so a step costs
``seq_len`` time steps however long the text. The loss starts near ``log(vocabulary size)`` (a uniform
guess) and falls; then the model writes text one character at a time, sampling from
``softmax(logits / temperature)``.

    python examples/char_lstm.py [--steps 300] [--seq-len 64] [--batch-size 32] [--hidden 128]
                                 [--temperature 0.8] [--max-seconds 60] [--seed 0]
"""

from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

import saessak as torch
import saessak.nn as nn

TEXT_PATH = Path(__file__).resolve().parent / "data" / "alice.txt"


def load_text(path: str | Path = TEXT_PATH) -> str:
    """The text without its ``#`` header lines."""
    lines = Path(path).read_text(encoding="utf-8").splitlines(keepends=True)
    return "".join(line for line in lines if not line.startswith("#"))


class CharModel(nn.Module):
    def __init__(self, vocab_size: int, embedding_dim: int = 32, hidden_size: int = 128):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_dim)
        self.lstm = nn.LSTM(embedding_dim, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, vocab_size)

    def forward(self, ids, state=None):
        """``ids`` (batch, time) -> logits (batch, time, vocab) and the LSTM state ``(h, c)``."""
        output, state = self.lstm(self.embedding(ids), state)
        return self.head(output), state


def streams(ids, batch_size: int, offset: int):
    """The ids from ``offset`` on as ``batch_size`` rows of consecutive text: (batch_size, length)."""
    length = (len(ids) - offset) // batch_size
    return ids[offset:offset + batch_size * length].reshape(batch_size, length)


def train(model, ids, *, steps: int, seq_len: int, batch_size: int, lr: float, max_seconds: float | None,
          seed: int):
    """Truncated BPTT over the text, pass after pass; returns the loss of every step."""
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    criterion = nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(seed)
    losses, start = [], time.perf_counter()
    model.train()
    while len(losses) < steps:
        # a new random offset each pass, so the chunk boundaries do not always fall on the same characters
        offset = int(torch.randint(0, seq_len, (1,), generator=generator).item())
        data = streams(ids, batch_size, offset)
        state = None
        for begin in range(0, data.shape[1] - 1, seq_len):
            inputs = data[:, begin:begin + seq_len]
            targets = data[:, begin + 1:begin + seq_len + 1]
            inputs = inputs[:, :targets.shape[1]]
            if state is not None:
                state = tuple(s.detach() for s in state)  # keep the memory, cut the graph: truncated BPTT
            logits, state = model(inputs, state)
            loss = criterion(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)  # LSTMs occasionally take one huge step
            optimizer.step()
            losses.append(loss.item())
            if len(losses) % 50 == 0 or len(losses) == 1:
                print(f"step {len(losses):4d}  loss {loss.item():.4f}  ({time.perf_counter() - start:.1f} s)")
            if len(losses) >= steps or (max_seconds is not None and time.perf_counter() - start > max_seconds):
                return losses
    return losses


def sample(model, prompt: str, length: int, chars: list[str], temperature: float = 0.8, seed: int = 0) -> str:
    """Continue ``prompt`` by ``length`` characters drawn from ``softmax(logits / temperature)``."""
    index = {c: i for i, c in enumerate(chars)}
    generator = torch.Generator().manual_seed(seed)
    model.eval()
    out = list(prompt)
    with torch.no_grad():
        logits, state = model(torch.tensor([[index[c] for c in prompt]]))
        for _ in range(length):
            probabilities = torch.softmax(logits[0, -1] / temperature, dim=0)
            next_id = int(torch.multinomial(probabilities, 1, generator=generator).item())
            out.append(chars[next_id])
            logits, state = model(torch.tensor([[next_id]]), state)
    return "".join(out)


def main(steps: int = 300, seq_len: int = 64, batch_size: int = 32, hidden: int = 128, lr: float = 0.01,
         temperature: float = 0.8, sample_length: int = 300, max_seconds: float | None = 60.0, seed: int = 0) -> dict:
    torch.manual_seed(seed)
    text = load_text()
    chars = sorted(set(text))
    ids = torch.tensor([chars.index(c) for c in text])
    uniform_loss = math.log(len(chars))
    print(f"{len(text)} characters, vocabulary of {len(chars)}: a uniform guess has loss log({len(chars)}) = "
          f"{uniform_loss:.4f}")

    model = CharModel(len(chars), hidden_size=hidden)
    losses = train(model, ids, steps=steps, seq_len=seq_len, batch_size=batch_size, lr=lr, max_seconds=max_seconds,
                   seed=seed)
    tail = losses[-10:]
    final_loss = sum(tail) / len(tail)
    print(f"loss {losses[0]:.4f} -> {final_loss:.4f} (mean of the last {len(tail)} steps) in {len(losses)} steps")

    text_out = sample(model, "Alice ", sample_length, chars, temperature=temperature, seed=seed)
    print(f"\nsample at temperature {temperature}:\n{text_out}")
    return {"losses": losses, "final_loss": final_loss, "uniform_loss": uniform_loss, "sample": text_out,
            "vocabulary": chars}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--seq-len", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--temperature", type=float, default=0.8)
    parser.add_argument("--max-seconds", type=float, default=60.0, help="stop training after this long")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    main(steps=args.steps, seq_len=args.seq_len, batch_size=args.batch_size, hidden=args.hidden, lr=args.lr,
         temperature=args.temperature, max_seconds=args.max_seconds, seed=args.seed)
