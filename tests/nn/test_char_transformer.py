"""A small character-level Transformer language model trains with saessak's nn (the issue's end-to-end case)."""

import math

import saessak as torch
import saessak.nn as nn
import saessak.nn.functional as F

TEXT = "hello saessak, hello sprout. " * 8


class CharTransformer(nn.Module):
    def __init__(self, vocab: int, d_model: int = 32, heads: int = 4, layers: int = 2, context: int = 16):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model)
        self.position = nn.Parameter(torch.randn(context, d_model) * 0.02)
        layer = nn.TransformerEncoderLayer(d_model, heads, dim_feedforward=64, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers)
        self.head = nn.Linear(d_model, vocab)
        self.register_buffer("mask", nn.TransformerEncoder.generate_square_subsequent_mask(context))

    def forward(self, idx):
        length = idx.shape[1]
        h = self.embed(idx) + self.position[:length]
        h = self.encoder(h, mask=self.mask[:length, :length])
        return self.head(h)


def test_char_transformer_learns_the_text():
    torch.manual_seed(0)
    chars = sorted(set(TEXT))
    data = torch.tensor([chars.index(c) for c in TEXT])
    model = CharTransformer(len(chars))
    context, batch = 16, 16
    first = None
    for _ in range(60):
        starts = torch.randint(0, len(data) - context - 1, (batch,))
        x = torch.stack([data[s: s + context] for s in starts.tolist()])
        y = torch.stack([data[s + 1: s + context + 1] for s in starts.tolist()])
        logits = model(x)
        loss = F.cross_entropy(logits.reshape(-1, len(chars)), y.reshape(-1))
        model.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        with torch.no_grad():
            for p in model.parameters():
                p -= 0.05 * p.grad
        first = loss.item() if first is None else first
    assert first > math.log(len(chars)) * 0.8
    assert loss.item() < first * 0.6
