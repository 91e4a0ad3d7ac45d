/**
 * The Python program behind "Export to PyTorch": a standalone script (torch, numpy; torchvision
 * only to download MNIST) that re-runs a lab experiment with torch.nn.utils.prune. It mirrors
 * the engine's definitions (models, lr-schedule.ts, prune-math.ts, criteria/, overrides.ts,
 * gmp.ts, bn-recalibration.ts); src/export/pytorch-script.test.ts runs it and checks that its
 * per-cycle sparsities equal the lab's exactly. __CONFIG__ is replaced by the config as JSON.
 */
export const PYTORCH_TEMPLATE = String.raw`#!/usr/bin/env python3
"""Pruning Lab experiment, exported for PyTorch.

Reproduces the lab's run with torch.nn.utils.prune: the same model, learning-rate schedules,
selection criterion, IMP/GMP schedule and hyperparameters (the config below). Numbers match
the lab's loosely (other RNG, other kernels); the sparsity after each cycle matches exactly.

    python3 pruning_lab_experiment.py --data-dir DIR   # MNIST IDX files (.gz or raw) in DIR
    python3 pruning_lab_experiment.py --device cuda --out results.json

Without --data-dir, MNIST is downloaded with torchvision.
"""
import argparse
import gzip
import json
import math
import os
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.utils.prune as prune

# The experiment, as the lab exported it (its config format; see docs/config.md).
CONFIG = json.loads(r"""__CONFIG__""")

MNIST_MEAN, MNIST_STD = 0.1307, 0.3081
WARMUP_FRACTION = 0.1
DENSE_FINAL_FACTOR = 0.01
LAST_LAYER_CAP = 0.8
BN_RECALIBRATION_BATCHES = 50


# ---------------------------------------------------------------------------------------- data

def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def find_idx(directory, stem):
    for name in (stem, stem + ".gz", stem.replace("-idx", ".idx"), stem.replace("-idx", ".idx") + ".gz"):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            return path
    raise FileNotFoundError("no %s(.gz) in %s" % (stem, directory))


def load_mnist(data_dir):
    if data_dir:
        split = lambda p: (read_idx(find_idx(data_dir, p + "-images-idx3-ubyte")),
                           read_idx(find_idx(data_dir, p + "-labels-idx1-ubyte")))
        (xtr, ytr), (xte, yte) = split("train"), split("t10k")
    else:
        from torchvision import datasets
        tr = datasets.MNIST("data", train=True, download=True)
        te = datasets.MNIST("data", train=False, download=True)
        xtr, ytr, xte, yte = tr.data.numpy(), tr.targets.numpy(), te.data.numpy(), te.targets.numpy()
    return (xtr, ytr), (xte, yte), MNIST_MEAN, MNIST_STD


def load_synthetic(seed=1234, train=1024, test=256, flip=0.4):
    """The lab's synthetic set: ten random 28x28 prototypes, 40% of pixels flipped, noise."""
    rng = np.random.default_rng(seed)
    protos = (rng.random((10, 28, 28)) < 0.25)

    def split(n):
        labels = np.arange(n) % 10
        on = protos[labels] ^ (rng.random((n, 28, 28)) < flip)
        images = np.where(on, 160 + rng.integers(0, 96, (n, 28, 28)), rng.integers(0, 64, (n, 28, 28)))
        return images.astype(np.uint8), labels.astype(np.int64)

    return split(train), split(test), 0.25, 0.4


def to_tensors(split, mean, std, device):
    images, labels = split
    x = torch.tensor(images, dtype=torch.float32).div_(255).sub_(mean).div_(std).unsqueeze(1)
    return x.to(device), torch.tensor(labels, dtype=torch.int64).to(device)


# -------------------------------------------------------------------------------------- models
# Layer names match the lab's (conv1, fc1, ...). PyTorch's default init is the lab's init.

class LeNet300(nn.Module):
    def __init__(self, shape, classes):
        super().__init__()
        self.fc1 = nn.Linear(shape[0] * shape[1] * shape[2], 300)
        self.fc2 = nn.Linear(300, 100)
        self.fc3 = nn.Linear(100, classes)

    def forward(self, x):
        x = x.flatten(1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


class LeNet5(nn.Module):
    def __init__(self, shape, classes):
        super().__init__()
        c, h, w = shape[2], shape[0], shape[1]
        self.conv1 = nn.Conv2d(c, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        flat = ((h // 2 - 4) // 2) * ((w // 2 - 4) // 2) * 16
        self.fc1 = nn.Linear(flat, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2).flatten(1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


class Conv4(nn.Module):
    def __init__(self, shape, classes):
        super().__init__()
        c, h, w = shape[2], shape[0], shape[1]
        self.conv1 = nn.Conv2d(c, 64, 3, padding=1)
        self.conv2 = nn.Conv2d(64, 64, 3, padding=1)
        self.conv3 = nn.Conv2d(64, 128, 3, padding=1)
        self.conv4 = nn.Conv2d(128, 128, 3, padding=1)
        self.fc1 = nn.Linear((h // 4) * (w // 4) * 128, 256)
        self.fc2 = nn.Linear(256, 256)
        self.fc3 = nn.Linear(256, classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv2(F.relu(self.conv1(x)))), 2)
        x = F.max_pool2d(F.relu(self.conv4(F.relu(self.conv3(x)))), 2).flatten(1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.short = None
        if stride != 1 or cin != cout:
            self.short = nn.Conv2d(cin, cout, 1, stride, bias=False)
            self.shortbn = nn.BatchNorm2d(cout)

    def forward(self, x):
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        s = self.shortbn(self.short(x)) if self.short is not None else x
        return F.relu(y + s)


class ResNet(nn.Module):
    def __init__(self, shape, classes, blocks):
        super().__init__()
        self.conv1 = nn.Conv2d(shape[2], 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        layers, cin = [], 16
        for s, width in enumerate((16, 32, 64)):
            for b in range(blocks):
                layers.append(Block(cin, width, 2 if s > 0 and b == 0 else 1))
                cin = width
        self.blocks = nn.Sequential(*layers)
        self.fc = nn.Linear(64, classes)

    def forward(self, x):
        x = self.blocks(F.relu(self.bn1(self.conv1(x))))
        return self.fc(x.mean((2, 3)))


def build_model(name, shape, classes):
    if name == "lenet300":
        return LeNet300(shape, classes)
    if name == "lenet5":
        return LeNet5(shape, classes)
    if name == "conv4":
        return Conv4(shape, classes)
    return ResNet(shape, classes, 1 if name == "resnet8" else 3)


def lab_name(name):
    """blocks.3.conv1 -> s2b1_conv1, as the lab names ResNet layers."""
    parts = name.split(".")
    if parts[0] != "blocks":
        return name
    blocks = 1 if CONFIG["model"] == "resnet8" else 3
    i = int(parts[1])
    return "s%db%d_%s" % (i // blocks + 1, i % blocks + 1, parts[2])


def prunable(model):
    """(lab layer name, module) of every conv and dense layer, in the lab's order."""
    return [(lab_name(n), m) for n, m in model.named_modules() if isinstance(m, (nn.Conv2d, nn.Linear))]


# ----------------------------------------------------------------------------------- schedules

def warmup_length(iterations):
    return int(math.floor(WARMUP_FRACTION * iterations))


def progress(t, w, iterations):
    return min(1.0, max(0.0, (t - w) / max(1, iterations - w - 1)))


def dense_lr(lr_max, t_orig, t):
    lr_min = lr_max * DENSE_FINAL_FACTOR
    w = warmup_length(t_orig)
    if t < w:
        return lr_max * (t + 1) / w
    return lr_max + (lr_min - lr_max) * progress(t, w, t_orig)


def retrain_lr(kind, lr_max, t_orig, iterations, effect=None):
    lr_min = lr_max * DENSE_FINAL_FACTOR
    w = warmup_length(iterations)

    def warm(t, after):
        return lr_max * (t + 1) / w if t < w else after(t)

    if kind == "ft":
        return lambda t: lr_min
    if kind == "lrw":
        return lambda t: dense_lr(lr_max, t_orig, max(0, t_orig - iterations + t))
    if kind == "slr":
        return lambda t: warm(t, lambda t: dense_lr(lr_max, t_orig, int(math.floor((t - w) / (iterations - w) * t_orig))))
    if kind == "clr":
        return lambda t: warm(t, lambda t: lr_min + (lr_max - lr_min) * (1 + math.cos(math.pi * progress(t, w, iterations))) / 2)
    if kind == "llr":
        return lambda t: warm(t, lambda t: lr_max * (1 - progress(t, w, iterations)))
    if kind == "allr":
        low = min(iterations / t_orig, 1) * lr_max
        d, s = effect
        start = low if s <= 0 else min(lr_max, max(low, d / math.sqrt(s) * lr_max))
        return lambda t: start * (t + 1) / w if t < w else start * (1 - progress(t, w, iterations))
    raise ValueError(kind)


# ------------------------------------------------------------------------------------- pruning

def masks_of(layers):
    return [getattr(m, "weight_mask", torch.ones_like(m.weight)) for _, m in layers]


def alive_count(layers):
    return int(sum(int(mask.sum().item()) for mask in masks_of(layers)))


def sparsity(layers):
    total = sum(m.weight.numel() for _, m in layers)
    return 1 - alive_count(layers) / total


def planned_sparsity(target, cycles, cycle):
    return 1 - (1 - target) ** (cycle / cycles)


def erk_sparsities(shapes, s):
    sizes = [int(np.prod(sh)) for sh in shapes]
    raw = [sum(sh) / n for sh, n in zip(shapes, sizes)]
    total, dense = sum(sizes), set()
    while True:
        free = [l for l in range(len(sizes)) if l not in dense]
        if not free:
            return [0.0] * len(sizes)
        rhs = (1 - s) * total - sum(sizes[l] for l in dense)
        eps = rhs / sum(raw[l] * sizes[l] for l in free)
        max_raw = max(raw[l] for l in free)
        if max_raw * eps > 1:
            dense.update(l for l in free if raw[l] == max_raw)
            continue
        return [0.0 if l in dense else max(0.0, 1 - eps * raw[l]) for l in range(len(sizes))]


def uniform_plus_sparsities(shapes, s, roles=(True, True)):
    # roles: whether the first / last of shapes are the model's own (not so under overrides)
    sizes = [int(np.prod(sh)) for sh in shapes]
    total = sum(sizes)
    capped = len(sizes) - 1 if roles[1] else -1
    first_dense = roles[0] and len(shapes[0]) == 4 and len(sizes) > 1
    middle = sum(n for l, n in enumerate(sizes) if not (l == capped or (l == 0 and first_dense)))
    capped_size = sizes[capped] if capped >= 0 else 0
    budget = s * total
    x = budget / (middle + capped_size)
    if capped >= 0 and x > LAST_LAYER_CAP:
        x = (budget - LAST_LAYER_CAP * capped_size) / middle if middle > 0 else LAST_LAYER_CAP
    x = min(1.0, max(0.0, x))
    return [0.0 if (l == 0 and first_dense) else (min(x, LAST_LAYER_CAP) if l == capped else x) for l in range(len(sizes))]


def lab_shape(module):
    """Kernel shape in the lab's (TF.js) layout: [kh, kw, cin, cout] or [in, out]."""
    w = module.weight
    return [w.shape[2], w.shape[3], w.shape[1], w.shape[0]] if w.dim() == 4 else [w.shape[1], w.shape[0]]


def prune_layers_to(layers, sparsities):
    """Layer l keeps round((1 - s_l) n_l) weights, dropping its smallest |w| (never revives)."""
    for (_, m), s in zip(layers, sparsities):
        keep = round((1 - s) * m.weight.numel())
        alive = int(masks_of([(None, m)])[0].sum().item())
        if alive > keep:
            prune.l1_unstructured(m, "weight", amount=alive - keep)


def lamp_scores(module):
    w2 = (module.weight.detach() ** 2).flatten()
    order = torch.argsort(w2)
    sorted_w2 = w2[order]
    suffix = torch.flip(torch.cumsum(torch.flip(sorted_w2, [0]), 0), [0])
    scores = torch.empty_like(w2)
    scores[order] = torch.where(suffix > 0, sorted_w2 / suffix, torch.zeros_like(suffix))
    return scores.view_as(module.weight)


def prune_free(criterion, layers, fraction, target, roles=(True, True)):
    """The selection criterion on layers: prune a fraction of the survivors or reach target."""
    if not layers:
        return
    params = [(m, "weight") for _, m in layers]
    k = min(alive_count(layers), round(fraction * alive_count(layers)))
    if criterion == "global":
        prune.global_unstructured(params, pruning_method=prune.L1Unstructured, amount=k)
    elif criterion == "lamp":
        scores = {(m, "weight"): lamp_scores(m) for _, m in layers}
        prune.global_unstructured(params, pruning_method=prune.L1Unstructured, importance_scores=scores, amount=k)
    elif criterion == "random":
        prune.global_unstructured(params, pruning_method=prune.RandomUnstructured, amount=k)
    elif criterion == "uniform":
        prune_layers_to(layers, [target] * len(layers))
    elif criterion == "uniformPlus":
        prune_layers_to(layers, uniform_plus_sparsities([lab_shape(m) for _, m in layers], target, roles))
    elif criterion == "erk":
        prune_layers_to(layers, erk_sparsities([lab_shape(m) for _, m in layers], target))
    else:
        raise ValueError(criterion)


def prune_step(layers, fraction, target, cycle, cycles):
    """One prune with per-layer overrides, as the lab does (see its overrides.ts)."""
    overrides = CONFIG["layerOverrides"]
    free = [(n, m) for n, m in layers if n not in overrides]
    pinned = [(n, m) for n, m in layers if isinstance(overrides.get(n), (int, float))]
    excluded = [(n, m) for n, m in layers if overrides.get(n) == "exclude"]
    if not pinned and not excluded:
        return prune_free(CONFIG["criterion"], layers, fraction, target)
    prune_layers_to(pinned, [planned_sparsity(overrides[n], cycles, cycle) for n, _ in pinned])
    if free:
        total = sum(m.weight.numel() for _, m in layers)
        free_size = sum(m.weight.numel() for _, m in free)
        free_alive = alive_count(free)
        keep_all = round((1 - target) * total)
        keep_free = max(math.ceil(0.001 * free_size), keep_all - alive_count(excluded + pinned))
        clamp = lambda x: min(1.0, max(0.0, x))
        roles = (free[0][1] is layers[0][1], free[-1][1] is layers[-1][1])
        prune_free(CONFIG["criterion"], free,
                   clamp(1 - keep_free / free_alive) if free_alive > 0 else 0.0,
                   clamp(1 - keep_free / free_size) if free_size > 0 else 0.0, roles)


def kernel_values(layers):
    return [m.weight.detach().clone() for _, m in layers]


def norm_drop(before, after):
    num = sum(float(((b - a) ** 2).sum()) for b, a in zip(before, after))
    den = sum(float((b ** 2).sum()) for b in before)
    return math.sqrt(num / den) if den > 0 else 0.0


def rewind_to(model, saved):
    """Surviving weights (and biases, BN) back to the saved values; masks stay."""
    with torch.no_grad():
        for name, tensor in model.state_dict().items():
            if name.endswith("_mask"):
                continue
            key = name[:-5] if name.endswith("_orig") else name
            tensor.copy_(saved[key])


def recalibrate_bn(model, x, batch, generator):
    bns = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    if not bns:
        return False
    for bn in bns:
        bn.reset_running_stats()
        bn.momentum = None  # cumulative average over the pass
    model.train()
    order = torch.randperm(len(x), generator=generator)
    with torch.no_grad():
        for b in range(min(BN_RECALIBRATION_BATCHES, len(x) // batch)):
            model(x[order[b * batch:(b + 1) * batch].to(x.device)])
    for bn in bns:
        bn.momentum = 0.1
    return True


# ------------------------------------------------------------------------------------ training

def evaluate(model, x, y):
    model.eval()
    correct, loss = 0, 0.0
    with torch.no_grad():
        for i in range(0, len(x), 1000):
            logits = model(x[i:i + 1000])
            loss += float(F.cross_entropy(logits, y[i:i + 1000], reduction="sum"))
            correct += int((logits.argmax(1) == y[i:i + 1000]).sum())
    return {"testAccuracy": correct / len(x), "testLoss": loss / len(x)}


def train_phase(model, data, epochs, lr_of, generator, on_epoch=None, before_step=None):
    (x, y), (xt, yt) = data
    batch = CONFIG["batchSize"]
    wd = CONFIG["weightDecay"]
    opt = torch.optim.SGD(model.parameters(), lr=lr_of(0), momentum=0.9, weight_decay=wd, nesterov=wd > 0)
    per_epoch = len(x) // batch
    t = 0
    for epoch in range(1, epochs + 1):
        model.train()
        order = torch.randperm(len(x), generator=generator).to(x.device)
        total = 0.0
        for b in range(per_epoch):
            if before_step:
                before_step(t)
                model.train()
            for group in opt.param_groups:
                group["lr"] = lr_of(t)
            idx = order[b * batch:(b + 1) * batch]
            loss = F.cross_entropy(model(x[idx]), y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += float(loss)
            t += 1
        record = evaluate(model, xt, yt)
        record.update(epoch=epoch, trainLoss=total / per_epoch, lr=lr_of(t - 1))
        if on_epoch:
            on_epoch(record)
    return t


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", help="folder with the MNIST IDX files")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--threads", type=int, default=0, help="CPU threads (0: PyTorch default)")
    parser.add_argument("--out", default="results.json")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(CONFIG["seed"])
    generator = torch.Generator().manual_seed(CONFIG["seed"])
    if CONFIG["dataset"] == "mnist":
        train, test, mean, std = load_mnist(args.data_dir)
    else:
        train, test, mean, std = load_synthetic()
    data = (to_tensors(train, mean, std, args.device), to_tensors(test, mean, std, args.device))
    (x, _), (xt, yt) = data
    shape = (28, 28, 1)
    model = build_model(CONFIG["model"], shape, 10).to(args.device)
    layers = prunable(model)
    batch = CONFIG["batchSize"]
    t_orig = (len(x) // batch) * CONFIG["denseEpochs"]
    lr_max = CONFIG["lr"]
    target, cycles = CONFIG["targetSparsity"], CONFIG["cycles"]
    results = {"config": CONFIG, "runtime": "pytorch " + torch.__version__, "dense": None, "gmp": None, "cycles": []}
    clock = time.time()

    saved = {}
    if CONFIG["rewind"] == "init" and CONFIG["regime"] == "imp":
        saved = {k: v.clone() for k, v in model.state_dict().items()}

    dense_epochs = []

    def on_dense_epoch(record):
        record["sparsity"] = sparsity(layers)
        dense_epochs.append(record)
        print("dense epoch %d: test accuracy %.2f%%, sparsity %.2f%%" % (record["epoch"], 100 * record["testAccuracy"], 100 * record["sparsity"]))
        if CONFIG["rewind"] == "epoch" and CONFIG["regime"] == "imp" and record["epoch"] == CONFIG["rewindEpoch"]:
            saved.update({k: v.clone() for k, v in model.state_dict().items()})

    before_step = None
    if CONFIG["regime"] == "gmp":
        t0 = min(int(math.floor(CONFIG["gmpStart"] * t_orig)), t_orig - 1)
        t_end = max(t0, min(int(math.floor(CONFIG["gmpEnd"] * t_orig)), t_orig - 1))
        dt = CONFIG["gmpEvery"]
        n = (t_end - t0) // dt
        steps = []
        results["gmp"] = {"start": t0, "every": dt, "steps": n, "pruneSteps": steps}
        total = sum(m.weight.numel() for _, m in layers)

        def before_step(t):
            k = (t - t0) / dt
            if t < t0 or k != int(k) or k > n:
                return
            s_t = target if n == 0 else target * (1 - (1 - (t - t0) / (n * dt)) ** 3)
            alive = alive_count(layers)
            keep = round((1 - s_t) * total)
            if keep < alive:
                prune_step(layers, 1 - keep / alive, s_t, int(k), max(1, n))
            steps.append({"iteration": t, "plannedSparsity": s_t, "sparsity": sparsity(layers)})

    train_phase(model, data, CONFIG["denseEpochs"], lambda t: dense_lr(lr_max, t_orig, t), generator,
                on_dense_epoch, before_step)
    final = dense_epochs[-1]
    results["dense"] = {"final": {"testAccuracy": final["testAccuracy"], "testLoss": final["testLoss"]}, "epochs": dense_epochs}

    if CONFIG["regime"] == "imp":
        fraction = 1 - (1 - target) ** (1 / cycles)
        for cycle in range(1, cycles + 1):
            planned = planned_sparsity(target, cycles, cycle)
            before = kernel_values(layers)
            alive_before = alive_count(layers)
            prune_step(layers, fraction, planned, cycle, cycles)
            after = kernel_values(layers)
            record = {
                "cycle": cycle,
                "plannedSparsity": planned,
                "sparsity": sparsity(layers),
                "pruned": alive_before - alive_count(layers),
                "layers": [{"name": n, "sparsity": 1 - float(mask.sum()) / mask.numel()}
                           for (n, _), mask in zip(layers, masks_of(layers))],
                "afterPrune": evaluate(model, xt, yt),
                "afterRecalibration": None,
                "afterRewind": None,
                "afterRetrain": None,
                "normDrop": norm_drop(before, after),
            }
            if CONFIG["bnRecalibration"] and recalibrate_bn(model, x, batch, generator):
                record["afterRecalibration"] = evaluate(model, xt, yt)
            if saved:
                rewind_to(model, saved)
                record["afterRewind"] = evaluate(model, xt, yt)
            iterations = (len(x) // batch) * CONFIG["retrainEpochs"]
            if iterations > 0:
                effect = (record["normDrop"], record["pruned"] / alive_before if alive_before else 0.0)
                lr_of = retrain_lr(CONFIG["retrainSchedule"], lr_max, t_orig, iterations, effect)
                epochs = []
                train_phase(model, data, CONFIG["retrainEpochs"], lr_of, generator, epochs.append)
                record["afterRetrain"] = {"testAccuracy": epochs[-1]["testAccuracy"], "testLoss": epochs[-1]["testLoss"]}
            results["cycles"].append(record)
            acc = record["afterRetrain"] or record["afterPrune"]
            print("cycle %d: sparsity %.4f%%, after prune %.2f%%, final %.2f%%" % (
                cycle, 100 * record["sparsity"], 100 * record["afterPrune"]["testAccuracy"], 100 * acc["testAccuracy"]))
    results["seconds"] = time.time() - clock
    with open(args.out, "w") as f:
        json.dump(results, f, indent=2)
    print("wrote %s" % args.out)


if __name__ == "__main__":
    main()
`;
