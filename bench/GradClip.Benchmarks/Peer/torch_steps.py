"""PyTorch's side of the side-by-side runner: times training steps of one model and prints one result line.

Usage: torch_steps.py MODEL THREADS WARMUP STEPS
Prints "blas <library>" (the BLAS this process loaded, read from /proc/self/maps), then
"result <model> <step ms> <forward ms> <backward ms> <cpu ms>", the first three the median over STEPS timed steps,
the last the process's processor time over them per step.
A step is forward, loss, backward, clip_grad_norm_(1.0), optimizer step and zero_grad, as GradClip's side does;
for clip-value it is clip_grad_value_(0.5) alone on one gradient of 64 Mi floats (forward and backward then take 0 ms).
"""
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def mlp(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


class LstmHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.recurrent = nn.LSTM(1, 64, batch_first=True)
        self.head = nn.Linear(64, 1)

    def forward(self, x):
        out, _ = self.recurrent(x)
        return self.head(out[:, -1, :])


class Block(nn.Module):
    """Pre-LayerNorm block: x + attn(ln_1(x)), then x + mlp(ln_2(x)); causal attention from one in_proj."""

    def __init__(self, d, heads, hidden):
        super().__init__()
        self.heads = heads
        self.ln_1 = nn.LayerNorm(d)
        self.in_proj = nn.Linear(d, 3 * d)
        self.out_proj = nn.Linear(d, d)
        self.ln_2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, hidden), nn.GELU(), nn.Linear(hidden, d))

    def attention(self, x):
        b, t, d = x.shape
        hd = d // self.heads
        q, k, v = self.in_proj(x).chunk(3, dim=2)
        q, k, v = (z.reshape(b, t, self.heads, hd).transpose(1, 2) for z in (q, k, v))
        scores = q @ k.transpose(-2, -1) / hd ** 0.5
        mask = torch.ones(t, t, dtype=torch.bool).triu(1)
        context = scores.masked_fill(mask, float("-inf")).softmax(-1) @ v
        return self.out_proj(context.transpose(1, 2).reshape(b, t, d))

    def forward(self, x):
        x = x + self.attention(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


def build(name):
    g = torch.Generator().manual_seed(0)
    if name == "mlp-small":
        model = mlp([10, 64, 32, 3])
        x, y = torch.randn(32, 10, generator=g), torch.randint(0, 3, (32,), generator=g)
        return model, torch.optim.Adam(model.parameters(), 1e-3), x, lambda out: F.cross_entropy(out, y)
    if name == "mlp-wide":
        model = mlp([64, 256, 256, 10])
        x, y = torch.randn(128, 64, generator=g), torch.randint(0, 10, (128,), generator=g)
        return model, torch.optim.Adam(model.parameters(), 1e-3), x, lambda out: F.cross_entropy(out, y)
    if name == "lstm":
        model = LstmHead()
        x, y = torch.randn(32, 50, 1, generator=g), torch.randn(32, 1, generator=g)
        return model, torch.optim.SGD(model.parameters(), 0.01), x, lambda out: F.mse_loss(out, y)
    if name == "transformer":
        model = Block(64, 4, 256)
        x, y = torch.randn(16, 64, 64, generator=g), torch.randn(16, 64, 64, generator=g)
        return model, torch.optim.Adam(model.parameters(), 1e-3), x, lambda out: F.mse_loss(out, y)
    raise SystemExit(f"unknown model {name!r}: expected mlp-small, mlp-wide, lstm, transformer or clip-value")


def clip_value_step(g):
    """One parameter whose gradient is 64 Mi standard-normal floats; the step clamps it in place to [-0.5, 0.5]."""
    parameter = torch.zeros(64 << 20, requires_grad=True)
    parameter.grad = torch.randn(64 << 20, generator=g)

    def step():
        t0 = time.perf_counter()
        torch.nn.utils.clip_grad_value_([parameter], 0.5)
        return t0, t0, t0
    return step


def training_step(name):
    model, optimizer, x, loss_of = build(name)

    def step():
        t0 = time.perf_counter()
        loss = loss_of(model(x))
        t1 = time.perf_counter()
        loss.backward()
        t2 = time.perf_counter()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad()
        return t0, t1, t2
    return step


def loaded_blas():
    with open("/proc/self/maps") as maps:
        names = {line.split()[-1] for line in maps if "blas" in line.lower() or "mkl" in line.lower()}
    return ",".join(sorted(names)) or "none"


def main():
    name, threads, warmup, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    torch.set_num_threads(threads)
    step = clip_value_step(torch.Generator().manual_seed(0)) if name == "clip-value" else training_step(name)
    totals, forwards, backwards = [], [], []
    for i in range(warmup + steps):
        if i == warmup:
            processor_start = time.process_time()
        t0, t1, t2 = step()
        t3 = time.perf_counter()
        if i >= warmup:
            totals.append(t3 - t0)
            forwards.append(t1 - t0)
            backwards.append(t2 - t1)
    print("blas", loaded_blas())
    ms = lambda values: f"{statistics.median(values) * 1e3:.4f}"
    processor = (time.process_time() - processor_start) / steps * 1e3
    print("result", name, ms(totals), ms(forwards), ms(backwards), f"{processor:.4f}")


main()
