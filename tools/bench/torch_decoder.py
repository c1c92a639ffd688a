#!/usr/bin/env python3
"""PyTorch (CPU) baseline of `nerva bench training`: the same decoder, batch,
loss and optimiser as neural/nn/throughput.cpp, timed the same way.

  torch_decoder.py --widths 20,32,32,3 --batch 4096 --threads 2 --seconds 5

Prints one JSON line: {"samples_per_second": ..., "torch": version, ...}.
Decoder: Linear+ReLU hidden layers, output exp(x - 3); loss: L1 between
log(1 + prediction) and log(1 + target), summed over channels, mean over the
batch; Adam (beta 0.9, 0.99, eps 1e-8), learning rate 1e-3.
"""
import argparse
import json
import sys
import time

try:
    import torch
except ImportError:
    print(json.dumps({"error": "PyTorch is not installed (Debian: apt-get install python3-torch)"}))
    sys.exit(3)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--widths", default="20,32,32,3")
    ap.add_argument("--batch", type=int, default=4096)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=5.0)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    widths = [int(w) for w in a.widths.split(",")]
    layers = []
    for i in range(len(widths) - 1):
        layers.append(torch.nn.Linear(widths[i], widths[i + 1]))
        if i + 2 < len(widths):
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    x = torch.rand(a.batch, widths[0]) * 2 - 1
    target = torch.rand(a.batch, widths[-1]) + 0.01
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.99), eps=1e-8)

    def step():
        pred = torch.exp(model(x) - 3.0)
        loss = (torch.log1p(pred) - torch.log1p(target)).abs().sum(dim=1).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    step()  # warm-up
    steps = 0
    t0 = time.perf_counter()
    while True:
        step()
        steps += 1
        elapsed = time.perf_counter() - t0
        if elapsed >= a.seconds:
            break
    print(json.dumps({"samples_per_second": steps * a.batch / elapsed, "steps": steps,
                      "threads": a.threads, "batch": a.batch, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
