#!/usr/bin/env python3
"""fmnist-cnn in PyTorch, timed layer by layer: the peer side of LayerProfile.

Builds the peers' fmnist-cnn (the layers of shared/peers/torch_fmnist.py), groups its modules into
the rows DL4J has as layers (a conv or dense layer holds its ReLU; the output row is the last
dense layer with softmax cross-entropy), and times each row's forward and backward on random
inputs and labels: untimed warm-up passes, then timed passes, each row's median. Also times the
usual whole step (loss = loss_fn(model(x), y); loss.backward()) for comparison.

Per-row backward: the forward runs row by row, each row fed a detached copy of the previous
row's output that requires grad, so the backward can then run row by row from the loss down,
torch.autograd.backward(output, grad of output), each timed alone. The first row's input needs
no gradient, as in training. Parameter gradients are dropped before every pass
(zero_grad(set_to_none=True)), so each backward writes them afresh.

Prints one JSON line. Run on one core: deploy/bench/layer-profile.sh pins it with taskset.

    /usr/bin/python3 torch_layer_profile.py --batch 128 --passes 20 --warmup 5 --threads 1
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn

IMAGE_SIDE = 28
CLASSES = 10


def fmnist_cnn():
    """The peers' fmnist-cnn, 1,663,370 parameters (layer definition of torch_fmnist.py)."""
    return nn.Sequential(
        nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(3136, 512), nn.ReLU(), nn.Linear(512, 10))


def rows(model):
    """(name, module) in DL4J's layer order; Flatten goes with pool2, since DL4J flattens in the
    dense layer's input preprocessor, which the Java profile times with the pooling before it."""
    m = list(model)
    return [("conv1", nn.Sequential(m[0], m[1])), ("pool1", m[2]),
            ("conv2", nn.Sequential(m[3], m[4])), ("pool2", nn.Sequential(m[5], m[6])),
            ("dense", nn.Sequential(m[7], m[8])), ("output", m[9])]


def layer_pass(layers, loss_fn, x, y, forward_ms, backward_ms):
    """One forward and backward, row by row, appending each row's milliseconds."""
    inputs, outputs = [], []
    activation = x
    for i, (name, module) in enumerate(layers):
        inp = activation.detach().requires_grad_(i > 0)
        start = time.perf_counter_ns()
        out = module(inp)
        if name == "output":
            out = loss_fn(out, y)
        forward_ms[name].append((time.perf_counter_ns() - start) / 1e6)
        inputs.append(inp)
        outputs.append(out)
        activation = out
    grad = None  # the loss is a scalar: backward seeds it with 1
    for i in reversed(range(len(layers))):
        name = layers[i][0]
        start = time.perf_counter_ns()
        torch.autograd.backward(outputs[i], grad)
        backward_ms[name].append((time.perf_counter_ns() - start) / 1e6)
        grad = inputs[i].grad
    return outputs[-1].item()


def full_pass(model, loss_fn, x, y):
    """The usual training step's forward and backward; returns its milliseconds and loss."""
    start = time.perf_counter_ns()
    loss = loss_fn(model(x), y)
    loss.backward()
    return (time.perf_counter_ns() - start) / 1e6, loss.item()


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--passes", type=int, default=20, help="timed passes of each kind")
    p.add_argument("--warmup", type=int, default=5, help="untimed passes of each kind first")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    if args.batch < 1 or args.passes < 1 or args.warmup < 0 or args.threads < 1:
        p.error("--batch, --passes and --threads must be at least 1, --warmup at least 0")
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    model = fmnist_cnn()
    layers = rows(model)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.rand(args.batch, 1, IMAGE_SIDE, IMAGE_SIDE)
    y = torch.randint(0, CLASSES, (args.batch,))

    forward_ms = {name: [] for name, _ in layers}
    backward_ms = {name: [] for name, _ in layers}
    layerwise_ms, full_ms = [], []
    for i in range(args.warmup + args.passes):  # alternate, so both see the same machine load
        model.zero_grad(set_to_none=True)
        start = time.perf_counter_ns()
        layerwise_loss = layer_pass(layers, loss_fn, x, y, forward_ms, backward_ms)
        layerwise_ms.append((time.perf_counter_ns() - start) / 1e6)
        model.zero_grad(set_to_none=True)
        ms, full_loss = full_pass(model, loss_fn, x, y)
        full_ms.append(ms)

    def median(values):
        return round(statistics.median(values[args.warmup:]), 3)

    print(json.dumps({
        "side": "pytorch", "torch": torch.__version__, "model": "fmnist-cnn",
        "batch": args.batch, "passes": args.passes, "warmup_passes": args.warmup,
        "threads": torch.get_num_threads(),
        "layers": [{"layer": name, "forward_ms": median(forward_ms[name]),
                    "backward_ms": median(backward_ms[name])} for name, _ in layers],
        "layerwise_pass_ms": median(layerwise_ms), "full_pass_ms": median(full_ms),
        "layerwise_loss": layerwise_loss, "full_loss": full_loss}), flush=True)


if __name__ == "__main__":
    main()
