#!/usr/bin/env python3
"""Pruning Lab experiment, exported for PyTorch.

Reproduces the lab's run with torch.nn.utils.prune: the same model, learning-rate schedules,
selection criterion, IMP/GMP schedule and hyperparameters (the config below). The sparsity
after each cycle and the masks a prune picks match the lab's exactly (same weights, same
rules, same random stream for the random criterion); accuracies loosely (other data order,
other kernels).

    python3 pruning_lab_experiment.py --data-dir DIR   # MNIST IDX files (.gz or raw) in DIR
    python3 pruning_lab_experiment.py --data-dir shapes.zip  # "images": class folders (Pillow)
    python3 pruning_lab_experiment.py --device cuda --out results.json

Without --data-dir, MNIST is downloaded with torchvision. A sweep's script (exported with
`npm run imp -- --sweep FILE --export-pytorch DIR`) holds every run of the sweep instead:

    python3 pruning_lab_sweep.py --list                 # each array task's index and name
    python3 pruning_lab_sweep.py --index 3 --out results # one task (default: $SLURM_ARRAY_TASK_ID)
    python3 pruning_lab_sweep.py --all --out results     # every task, one after another
"""
# This file is the lab's own source (src/export/pruning_lab_experiment.py), bundled into the
# app by `npm run build:python`. Its twin in TypeScript is src/core/ (schedules/, criteria/,
# overrides.ts, prune-math.ts); src/export/pytorch-parity.test.ts checks, entry by entry of
# every registry, that both compute the same rates and the same masks.
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
# A sweep's array tasks (see main_sweep at the end); null when the script is one experiment.
SWEEP = json.loads(r"""__SWEEP__""")
# The lab's constants and option lists, from its registries (not copied by hand).
LAB = json.loads(r"""__LAB__""")

WARMUP_FRACTION = LAB["warmupFraction"]
DENSE_FINAL_FACTOR = LAB["denseFinalFactor"]
LAST_LAYER_CAP = LAB["lastLayerCap"]
BN_RECALIBRATION_BATCHES = LAB["bnRecalibrationBatches"]


# ------------------------------------------------------------------------------ random numbers

class Alea:
    """The lab's seeded generator (seedrandom's Alea, J. Baagoe), number for number."""

    def __init__(self, seed):
        n = [float(0xefc8249d)]

        def mash(data):
            for ch in str(data):
                n[0] += ord(ch)
                h = 0.02519603282416938 * n[0]
                n[0] = float(int(h) % 2 ** 32)
                h -= n[0]
                h *= n[0]
                n[0] = float(int(h) % 2 ** 32)
                h -= n[0]
                n[0] += h * 4294967296.0
            return (int(n[0]) % 2 ** 32) * 2.3283064365386963e-10

        self.c = 1
        self.s0, self.s1, self.s2 = mash(" "), mash(" "), mash(" ")
        self.s0 -= mash(seed)
        if self.s0 < 0:
            self.s0 += 1
        self.s1 -= mash(seed)
        if self.s1 < 0:
            self.s1 += 1
        self.s2 -= mash(seed)
        if self.s2 < 0:
            self.s2 += 1

    def __call__(self):
        t = 2091639 * self.s0 + self.c * 2.3283064365386963e-10
        self.s0, self.s1 = self.s1, self.s2
        self.c = int(t)
        self.s2 = t - self.c
        return self.s2


def make_rng(seed):
    return Alea(str(seed))


def derive_seed(seed, label):
    """A child seed from a parent seed and a label, as the lab's deriveSeed."""
    return int(math.floor(make_rng("%d:%s" % (seed, label))() * 2 ** 31))


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
        return split("train"), split("t10k")
    from torchvision import datasets
    tr = datasets.MNIST("data", train=True, download=True)
    te = datasets.MNIST("data", train=False, download=True)
    return (tr.data.numpy(), tr.targets.numpy()), (te.data.numpy(), te.targets.numpy())


def load_synthetic(seed=1234, flip=0.4):
    """A set like the lab's synthetic one: ten random 28x28 prototypes, 40% of pixels flipped."""
    info = LAB["datasets"]["synthetic"]
    rng = np.random.default_rng(seed)
    protos = (rng.random((10, 28, 28)) < 0.25)

    def split(n):
        labels = np.arange(n) % 10
        on = protos[labels] ^ (rng.random((n, 28, 28)) < flip)
        images = np.where(on, 160 + rng.integers(0, 96, (n, 28, 28)), rng.integers(0, 64, (n, 28, 28)))
        return images.astype(np.uint8), labels.astype(np.int64)

    return split(info["trainCount"]), split(info["testCount"])


FASHION_MNIST_DEBIAN_DIR = "/usr/share/datasets/fashion-mnist"


def load_fashion_mnist(data_dir):
    """The original IDX files: --data-dir, else Debian's dataset-fashion-mnist, else torchvision."""
    if not data_dir and os.path.isdir(FASHION_MNIST_DEBIAN_DIR):
        data_dir = FASHION_MNIST_DEBIAN_DIR
    if data_dir:
        return load_mnist(data_dir)
    from torchvision import datasets
    tr = datasets.FashionMNIST("data", train=True, download=True)
    te = datasets.FashionMNIST("data", train=False, download=True)
    return (tr.data.numpy(), tr.targets.numpy()), (te.data.numpy(), te.targets.numpy())


CIFAR_LAYOUTS = {  # training files, test files, label bytes per record (the last one is used)
    "cifar10": (["data_batch_%d.bin" % i for i in range(1, 6)], ["test_batch.bin"], 1, "cifar-10-batches-bin"),
    "cifar100": (["train.bin"], ["test.bin"], 2, "cifar-100-binary"),
}


def load_cifar(data_dir, kind):
    """CIFAR's binary version: the .tar.gz itself or its unpacked folder. Images N x 32 x 32 x 3."""
    train_names, test_names, label_bytes, folder = CIFAR_LAYOUTS[kind]
    names = train_names + test_names
    if not data_dir:
        raise SystemExit("%s is read from your own copy: --data-dir <its binary .tar.gz or folder>" % kind)
    files = {}
    if os.path.isfile(data_dir):
        import tarfile
        with tarfile.open(data_dir) as tar:
            for member in tar.getmembers():
                if member.isfile() and os.path.basename(member.name) in names:
                    files[os.path.basename(member.name)] = tar.extractfile(member).read()
    else:
        for d in (data_dir, os.path.join(data_dir, folder)):
            if all(os.path.exists(os.path.join(d, n)) for n in names):
                for n in names:
                    with open(os.path.join(d, n), "rb") as f:
                        files[n] = f.read()
                break
    missing = [n for n in names if n not in files]
    if missing:
        raise SystemExit("no %s in %s" % (", ".join(missing), data_dir))

    def split(part):
        raw = np.frombuffer(b"".join(files[n] for n in part), dtype=np.uint8).reshape(-1, label_bytes + 3072)
        images = raw[:, label_bytes:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
        return np.ascontiguousarray(images), raw[:, label_bytes - 1].astype(np.int64)

    return split(train_names), split(test_names)


# Your own images in class folders (the lab's src/data/image-folder.ts, rule for rule): the same
# layout, classes, held-out split and resize, so the same files give the same pixels (PNG exactly;
# JPEG decoders differ by a few levels). Pillow decodes; the resize is the lab's own, below.
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg")
TEST_FOLDERS = ("test", "val", "valid")
MAX_FOLDER_IMAGES = 100000
HELD_OUT_FRACTION = 0.2


def folder_entries(data_dir):
    """[(path, bytes)] of a .zip's members (directories end in /) or a folder's files."""
    if os.path.isfile(data_dir):
        import zipfile
        with zipfile.ZipFile(data_dir) as z:
            return [(i.filename, b"" if i.is_dir() else z.read(i)) for i in z.infolist()]
    out = []
    for root, dirs, files in os.walk(data_dir):
        dirs.sort()
        rel = os.path.relpath(root, data_dir).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"
        if not files and not dirs and prefix:
            out.append((prefix, b""))
        for name in sorted(files):
            with open(os.path.join(root, name), "rb") as f:
                out.append((prefix + name, f.read()))
    return out


def held_out_indices(n, class_name, seed=0):
    """Which of a class's n images (by path) are the test split: the first max(1, round(0.2 n)) of
    the Fisher-Yates permutation seeded by derive_seed(seed, "images:test:<class>"); none of one."""
    count = max(1, int(math.floor(HELD_OUT_FRACTION * n + 0.5))) if n > 1 else 0
    rng = make_rng(derive_seed(seed, "images:test:" + class_name))
    order = list(range(n))
    for i in range(n - 1, 0, -1):
        j = int(math.floor(rng() * (i + 1)))
        order[i], order[j] = order[j], order[i]
    return set(order[:count])


def axis_weights(n, s):
    """S x N weights of one axis: the area average when shrinking (N >= S), bilinear at pixel
    centres (i + 1/2) N/S - 1/2 when growing (as the lab's resizeImage)."""
    w = np.zeros((s, n))
    for i in range(s):
        if n >= s:
            lo, hi = i * n / s, (i + 1) * n / s
            for k in range(int(math.floor(lo)), min(n, int(math.ceil(hi)))):
                overlap = min(k + 1, hi) - max(k, lo)
                if overlap > 0:
                    w[i, k] += overlap * s / n
        else:
            x = min(n - 1, max(0, (i + 0.5) * n / s - 0.5))
            k0 = int(math.floor(x))
            t = x - k0
            w[i, k0] += 1 - t
            w[i, min(k0 + 1, n - 1)] += t
    return w


def resize_image(rgb, size, grey):
    """H x W x 3 bytes to size x size x (1 grey, 3 RGB) bytes: grey 0.299 R + 0.587 G + 0.114 B
    first, then rows and columns by axis_weights, rounded once (halves up)."""
    plane = rgb.astype(np.float64)
    if grey:
        plane = (0.299 * plane[..., 0] + 0.587 * plane[..., 1] + 0.114 * plane[..., 2])[..., None]
    wy, wx = axis_weights(plane.shape[0], size), axis_weights(plane.shape[1], size)
    out = np.einsum("ik,klc->ilc", wy, plane)
    out = np.einsum("jl,ilc->ijc", wx, out)
    return np.clip(np.floor(out + 0.5), 0, 255).astype(np.uint8)


def load_images(data_dir, size, channels):
    """Images in class folders (<class>/*, or train/<class>/ and test|val|valid/<class>/), from a
    folder or a .zip: N x size x size x C bytes and labels per split, and the classes' names."""
    if not data_dir:
        raise SystemExit("images: --data-dir <a folder or .zip of class folders>")
    try:
        from PIL import Image
    except ImportError:
        raise SystemExit("images: reading your own images needs Pillow (pip install Pillow, or "
                         "apt-get install python3-pil)")
    import io
    items = []
    for path, data in folder_entries(data_dir):
        segs = [p for p in path.replace("\\", "/").split("/") if p not in ("", ".")]
        if segs and not any(p.startswith(".") or p == "__MACOSX" or p.lower() in ("thumbs.db", "desktop.ini")
                            for p in segs):
            items.append({"path": path, "dir": path.endswith("/"), "segs": segs, "bytes": data})
    files = [i for i in items if not i["dir"]]
    splits = ("train",) + TEST_FOLDERS
    while files:  # a root folder every file lies in (not a split's) is stripped
        first = files[0]["segs"][0]
        if first.lower() in splits or not all(len(f["segs"]) >= 3 and f["segs"][0] == first for f in files):
            break
        for i in items:
            if i["segs"][0] == first:
                i["segs"] = i["segs"][1:]
        items = [i for i in items if i["segs"]]
        files = [i for i in items if not i["dir"]]
    is_image = lambda name: name.lower().endswith(IMAGE_EXTENSIONS)
    split_mode = any(len(f["segs"]) >= 3 and f["segs"][0].lower() == "train" for f in files)
    test_name = next((t for t in TEST_FOLDERS if split_mode and any(
        len(f["segs"]) >= 3 and f["segs"][0].lower() == t for f in files)), None)
    located, folders = [], set()
    for i in items:
        segs, split, rest = i["segs"], None, i["segs"]
        if split_mode:
            head = segs[0].lower()
            if head == "train":
                split = "train"
            elif head == test_name:
                split = "test"
            else:
                continue
            rest = segs[1:]
        if i["dir"]:
            if len(rest) == 1:
                folders.add((split, rest[0]))
            continue
        if len(rest) < 2:
            if not is_image(segs[-1]):
                continue
            raise SystemExit("%s: %s is not in a class folder" % (data_dir, i["path"]))
        if not is_image(segs[-1]):
            raise SystemExit("%s: %s is not an image: the lab reads PNG and JPEG files" % (data_dir, i["path"]))
        folders.add((split, rest[0]))
        located.append(dict(i, split=split, cls=rest[0]))
    if not located:
        raise SystemExit("%s holds no images (.png, .jpg, .jpeg in class folders)" % data_dir)
    if len(located) > MAX_FOLDER_IMAGES:
        raise SystemExit("%s holds %d images: the lab reads at most %d" % (data_dir, len(located), MAX_FOLDER_IMAGES))
    classes = sorted({l["cls"] for l in located if l["split"] != "test"})
    for split, name in folders:
        if not any(l["split"] == split and l["cls"] == name for l in located):
            raise SystemExit("%s: the class folder %s holds no images" % (data_dir, name))
    if len(classes) < 2:
        raise SystemExit("%s: a classification needs at least 2 class folders" % data_dir)
    unknown = sorted({l["cls"] for l in located} - set(classes))
    if unknown:
        raise SystemExit("%s: the test class %s has no training images" % (data_dir, unknown[0]))
    train, test = [], []
    for label, name in enumerate(classes):
        own = sorted((l for l in located if l["cls"] == name), key=lambda l: l["path"])
        if test_name:
            train += [(l, label) for l in own if l["split"] == "train"]
            test += [(l, label) for l in own if l["split"] == "test"]
        else:
            held = held_out_indices(len(own), name)
            for k, l in enumerate(own):
                (test if k in held else train).append((l, label))

    def read(part):
        c = 1 if channels == "grey" else 3
        images = np.zeros((len(part), size, size, c), dtype=np.uint8)
        for n, (l, _) in enumerate(part):
            try:
                rgb = np.asarray(Image.open(io.BytesIO(l["bytes"])).convert("RGB"))
            except Exception as error:
                raise SystemExit("%s: %s is not an image Pillow can read: %s" % (data_dir, l["path"], error))
            images[n] = resize_image(rgb, size, channels == "grey")
        return images, np.array([label for _, label in part], dtype=np.int64)

    return read(train), read(test), classes


DATASETS = {
    "mnist": lambda args: load_mnist(args.data_dir),
    "fashion-mnist": lambda args: load_fashion_mnist(args.data_dir),
    "cifar10": lambda args: load_cifar(args.data_dir, "cifar10"),
    "cifar100": lambda args: load_cifar(args.data_dir, "cifar100"),
    "idx": lambda args: load_mnist(args.data_dir),  # your own IDX files: --data-dir
    "images": lambda args: load_images(args.data_dir, CONFIG.get("imageSize", 32),
                                        CONFIG.get("imageChannels", "rgb")),
    "synthetic": lambda args: load_synthetic(),
}


def to_tensors(split, mean, std, device):
    """Grey N x H x W: (x/255 - mean) / std. Colour N x H x W x C: per channel (mean, std lists)."""
    images, labels = split
    x = torch.tensor(images, dtype=torch.float32).div_(255)
    if x.dim() == 4:
        x = x.permute(0, 3, 1, 2).contiguous()
        x = x.sub_(torch.tensor(mean).view(1, -1, 1, 1)).div_(torch.tensor(std).view(1, -1, 1, 1))
    else:
        x = x.sub_(mean).div_(std).unsqueeze(1)
    return x.to(device), torch.tensor(labels, dtype=torch.int64).to(device)


def normalisation(info, train):
    """The registry's mean and std; colour sets: per channel, of the training set itself (as the lab)."""
    images = train[0]
    if images.ndim == 4:
        pixels = images.reshape(-1, images.shape[-1]).astype(np.float64) / 255
        return pixels.mean(0).tolist(), pixels.std(0).tolist()
    return info["mean"], info["std"]


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
        self.blocks_per_stage = blocks
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


MODELS = {
    "lenet300": LeNet300,
    "lenet5": LeNet5,
    "conv4": Conv4,
    "resnet8": lambda shape, classes: ResNet(shape, classes, 1),
    "resnet20": lambda shape, classes: ResNet(shape, classes, 3),
}


def lab_name(model, name):
    """blocks.3.conv1 -> s2b1_conv1, as the lab names ResNet layers."""
    parts = name.split(".")
    if parts[0] != "blocks":
        return name
    blocks = model.blocks_per_stage
    i = int(parts[1])
    return "s%db%d_%s" % (i // blocks + 1, i % blocks + 1, parts[2])


def prunable(model):
    """(lab layer name, module) of every conv and dense layer, in the lab's order."""
    return [(lab_name(model, n), m) for n, m in model.named_modules() if isinstance(m, (nn.Conv2d, nn.Linear))]


# ----------------------------------------------------------------------------------- schedules
# Mirrors src/core/schedules/: the dense schedule, then each retraining schedule as BIMP's
# define_retrain_schedule computes it (cosine warm-up from 0 over W = int(0.1 T), then R = T - W).

def warmup_length(iterations):
    return int(math.floor(WARMUP_FRACTION * iterations))


def dense_schedule(lr_max, per_epoch, epochs):
    iterations = per_epoch * epochs
    return {"lrMax": lr_max, "lrMin": lr_max * DENSE_FINAL_FACTOR, "iterations": iterations,
            "warmup": warmup_length(iterations), "epochs": epochs}


def dense_lr(dense, t):
    w = dense["warmup"]
    if t < w:
        return dense["lrMax"] * (t + 1) / w
    u = min(1.0, max(0.0, (t - w) / max(1, dense["iterations"] - w - 1)))
    return dense["lrMax"] + (dense["lrMin"] - dense["lrMax"]) * u


def dense_without_warmup(dense, t):
    return dense["lrMax"] if t < dense["warmup"] else dense_lr(dense, t)


def lrw_index(iterations, total, i):
    return total - iterations + i if iterations <= total else min(i, total - 1)


def allr_start(phase):
    dense, effect = phase["dense"], phase.get("effect")
    lr_max = dense["lrMax"]
    if effect is None:
        return lr_max
    low = min(phase["epochs"] / dense["epochs"], 1) * lr_max
    if effect["pruneFraction"] <= 0:
        return low
    raw = (effect["normDrop"] / math.sqrt(effect["pruneFraction"])) * lr_max
    return min(lr_max, max(low, raw))


# Each schedule: its start rate, and the rate of the j-th of R iterations after warm-up.
SCHEDULES = {
    "ft": {
        "start": lambda p: p["dense"]["lrMin"],
        "rate": lambda p, j, r, start: p["dense"]["lrMin"],
    },
    "lrw": {
        "start": lambda p: dense_lr(p["dense"], lrw_index(p["iterations"], p["dense"]["iterations"], 0)),
        "rate": lambda p, j, r, start: dense_lr(p["dense"], lrw_index(p["iterations"], p["dense"]["iterations"], j)),
    },
    "slr": {
        "start": lambda p: p["dense"]["lrMax"],
        "rate": lambda p, j, r, start: dense_without_warmup(p["dense"], int(j * (p["dense"]["iterations"] / r))),
    },
    "clr": {
        "start": lambda p: p["dense"]["lrMax"],
        "rate": lambda p, j, r, start: p["dense"]["lrMin"] + (p["dense"]["lrMax"] - p["dense"]["lrMin"]) * (1 + math.cos(math.pi * j / r)) / 2,
    },
    "llr": {
        "start": lambda p: p["dense"]["lrMax"],
        "rate": lambda p, j, r, start: p["dense"]["lrMax"] * (1 - j / r),
    },
    "allr": {
        "start": allr_start,
        "rate": lambda p, j, r, start: start * (1 - j / r),
    },
}


def retrain_rates(kind, phase):
    """Every rate of a retraining phase: phase = {dense, iterations, epochs, effect?}."""
    schedule = SCHEDULES[kind]
    total = phase["iterations"]
    w = warmup_length(total) if LAB["schedules"][kind]["warmup"] else 0
    remaining = total - w
    start = schedule["start"](phase)
    rates = [start * (1 - math.cos(math.pi * i / w)) / 2 for i in range(w)]
    rates += [schedule["rate"](phase, j, remaining, start) for j in range(remaining)]
    return rates


# ------------------------------------------------------------------------------------- pruning
# Mirrors src/core/prune-math.ts, criteria/ and overrides.ts on flat numpy arrays in the lab's
# kernel layout ([kh, kw, cin, cout] conv, [in, out] dense, row-major); the resulting masks are
# installed with torch.nn.utils.prune.custom_from_mask.

def round_half_even(x):
    return int(round(x))  # Python's round() halves to even, as the lab's roundHalfEven


def lab_shape(module):
    """Kernel shape in the lab's (TF.js) layout: [kh, kw, cin, cout] or [in, out]."""
    w = module.weight
    return [w.shape[2], w.shape[3], w.shape[1], w.shape[0]] if w.dim() == 4 else [w.shape[1], w.shape[0]]


def to_lab(tensor):
    """A weight-shaped tensor in the lab's layout, flattened row-major (float64 numpy)."""
    t = tensor.detach().cpu()
    t = t.permute(2, 3, 1, 0) if t.dim() == 4 else t.t()
    return t.contiguous().double().numpy().ravel()


def from_lab(flat, module):
    """A flat lab-layout array back into the module weight's shape."""
    shape = lab_shape(module)
    t = torch.from_numpy(np.ascontiguousarray(flat).reshape(shape))
    return (t.permute(3, 2, 0, 1) if len(shape) == 4 else t.t()).contiguous()


def lab_masks(layers):
    return [to_lab(getattr(m, "weight_mask", torch.ones_like(m.weight))).astype(np.uint8) for _, m in layers]


def lab_weights(layers):
    return [to_lab(m.weight) for _, m in layers]


def install_masks(layers, masks):
    """The first prune of a layer adds torch's pruning (weight = weight_orig * weight_mask, the
    same parameter, so an optimizer keeps working); later prunes update the mask in place."""
    for (_, m), mask in zip(layers, masks):
        new = from_lab(mask.astype(np.float32), m).to(m.weight.device)
        if hasattr(m, "weight_mask"):
            m.weight_mask.copy_(new)
            m.weight = m.weight_orig * m.weight_mask  # as the forward pre-hook does
        else:
            prune.custom_from_mask(m, "weight", new)


def alive_count(layers):
    return int(sum(int(mask.sum()) for mask in lab_masks(layers)))


def sparsity(layers):
    total = sum(m.weight.numel() for _, m in layers)
    return 1 - alive_count(layers) / total


def planned_sparsity(target, cycles, cycle):
    return 1 - (1 - target) ** (cycle / cycles)


def prune_lowest_scores(scores, masks, k):
    """Prunes the k alive entries with the lowest score over all layers; ties by position."""
    offsets = np.cumsum([0] + [len(s) for s in scores])
    flat = np.concatenate(scores)
    alive = np.flatnonzero(np.concatenate(masks))
    order = alive[np.lexsort((alive, flat[alive]))]
    out = np.concatenate(masks).copy()
    out[order[:min(k, len(alive))]] = 0
    return [out[offsets[l]:offsets[l + 1]] for l in range(len(scores))]


def global_prune_count(masks, fraction):
    alive = int(sum(int(m.sum()) for m in masks))
    return min(alive, round_half_even(fraction * alive))


def prune_layers_to(weights, masks, sparsities):
    """Layer l keeps round((1 - s_l) n_l) weights, dropping its smallest |w| (never revives)."""
    out = []
    for w, m, s in zip(weights, masks, sparsities):
        keep = round_half_even((1 - s) * len(w))
        alive = int(m.sum())
        out.append(m.copy() if alive <= keep else prune_lowest_scores([np.abs(w)], [m], alive - keep)[0])
    return out


def erk_sparsities(shapes, s):
    sizes = [int(np.prod(sh)) for sh in shapes]
    raw = [sum(sh) / n for sh, n in zip(shapes, sizes)]
    total, dense = sum(sizes), set()
    while True:
        free = [l for l in range(len(sizes)) if l not in dense]
        if not free:
            return [0.0] * len(sizes)
        rhs = (1 - s) * total - sum(sizes[l] for l in sorted(dense))
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


def lamp_scores(w, mask):
    scores = np.full(len(w), np.inf)
    alive = np.flatnonzero(mask)
    sq = w[alive] * w[alive]
    order = np.lexsort((alive, sq))
    sorted_sq = sq[order]
    suffix = np.cumsum(sorted_sq[::-1])[::-1]  # sequential sums from the largest, as the lab
    scores[alive[order]] = np.where(suffix > 0, sorted_sq / np.where(suffix > 0, suffix, 1), 0)
    return scores


def random_scores(weights, rng):
    return [np.array([rng() for _ in range(len(w))]) for w in weights]


# Each criterion on lab-layout arrays: ctx = {weights, masks, shapes, fraction, target, roles, rng}.
CRITERIA = {
    "global": lambda c: prune_lowest_scores([np.abs(w) for w in c["weights"]], c["masks"],
                                            global_prune_count(c["masks"], c["fraction"])),
    "uniform": lambda c: prune_layers_to(c["weights"], c["masks"], [c["target"]] * len(c["weights"])),
    "uniformPlus": lambda c: prune_layers_to(c["weights"], c["masks"],
                                             uniform_plus_sparsities(c["shapes"], c["target"], c["roles"])),
    "erk": lambda c: prune_layers_to(c["weights"], c["masks"], erk_sparsities(c["shapes"], c["target"])),
    "lamp": lambda c: prune_lowest_scores([lamp_scores(w, m) for w, m in zip(c["weights"], c["masks"])],
                                          c["masks"], global_prune_count(c["masks"], c["fraction"])),
    "random": lambda c: prune_lowest_scores(random_scores(c["weights"], c["rng"]), c["masks"],
                                            global_prune_count(c["masks"], c["fraction"])),
}


def prune_masks(criterion, overrides, names, weights, masks, shapes, fraction, target, cycle, cycles, rng):
    """The masks after one prune with per-layer overrides, as the lab's overrides.ts."""
    clamp = lambda x: min(1.0, max(0.0, x))
    ctx = {"weights": weights, "masks": masks, "shapes": shapes, "fraction": fraction,
           "target": target, "roles": (True, True), "rng": rng}
    layers = range(len(weights))
    free = [l for l in layers if names[l] not in overrides]
    pinned = [l for l in layers if isinstance(overrides.get(names[l]), (int, float))]
    excluded = [l for l in layers if overrides.get(names[l]) == "exclude"]
    if not pinned and not excluded:
        return CRITERIA[criterion](ctx)
    out = [m.copy() for m in masks]
    pin_rates = [planned_sparsity(overrides[names[l]], cycles, cycle) for l in pinned]
    for l, m in zip(pinned, prune_layers_to([weights[l] for l in pinned], [masks[l] for l in pinned], pin_rates)):
        out[l] = m
    if free:
        total = sum(len(w) for w in weights)
        free_size = sum(len(weights[l]) for l in free)
        free_alive = sum(int(masks[l].sum()) for l in free)
        keep_all = round_half_even((1 - target) * total)
        keep_others = sum(int(out[l].sum()) for l in excluded + pinned)
        keep_free = max(math.ceil(0.001 * free_size), keep_all - keep_others)
        result = CRITERIA[criterion]({
            **ctx,
            "weights": [weights[l] for l in free],
            "masks": [masks[l] for l in free],
            "shapes": [shapes[l] for l in free],
            "roles": (free[0] == 0, free[-1] == len(weights) - 1),
            "fraction": clamp(1 - keep_free / free_alive) if free_alive > 0 else 0,
            "target": clamp(1 - keep_free / free_size) if free_size > 0 else 0,
        })
        for l, m in zip(free, result):
            out[l] = m
    return out


def prune_step(layers, fraction, target, cycle, cycles, rng):
    """One prune of the model's layers with the configured criterion and overrides."""
    masks = prune_masks(CONFIG["criterion"], CONFIG["layerOverrides"], [n for n, _ in layers],
                        lab_weights(layers), lab_masks(layers), [lab_shape(m) for _, m in layers],
                        fraction, target, cycle, cycles, rng)
    install_masks(layers, masks)


def kernel_values(layers):
    return [m.weight.detach().clone() for _, m in layers]


def norm_drop(before, after):
    num = sum(float(((b - a) ** 2).sum()) for b, a in zip(before, after))
    den = sum(float((b ** 2).sum()) for b in before)
    return math.sqrt(num / den) if den > 0 else 0.0


def squared_norm(model):
    """‖θ‖² over every weight and bias, batch norm's included (BIMP's get_model_norm_square)."""
    total = 0.0
    for module in model.modules():
        for name in ("weight", "bias"):
            p = getattr(module, name, None)
            if isinstance(p, torch.Tensor):
                total += float((p.detach().double() ** 2).sum())
    return total


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
    """Accuracy and mean cross-entropy on (x, y), as testAccuracy and testLoss."""
    model.eval()
    correct, loss = 0, 0.0
    with torch.no_grad():
        for i in range(0, len(x), 1000):
            logits = model(x[i:i + 1000])
            loss += float(F.cross_entropy(logits, y[i:i + 1000], reduction="sum"))
            correct += int((logits.argmax(1) == y[i:i + 1000]).sum())
    return {"testAccuracy": correct / len(x), "testLoss": loss / len(x)}


def assess(model, data):
    """The lab's evaluation: on the test set, and validationAccuracy where images are held out."""
    record = evaluate(model, *data[1])
    if len(data) > 2:
        record["validationAccuracy"] = evaluate(model, *data[2])["testAccuracy"]
    return record


def augment(xb, generator, pad=4):
    """The paper's CIFAR augmentation on a normalised N x C x H x W batch: a random crop of the
    image zero-padded by `pad` (0 pixels, i.e. -mean/std once normalised) and a left-right flip
    with probability 1/2, per image (torchvision's RandomCrop(32, padding=4), RandomHorizontalFlip)."""
    n, c, h, w = xb.shape
    fill = xb.new_tensor(PAD_VALUE).view(1, -1, 1, 1).expand(n, c, h + 2 * pad, w + 2 * pad).clone()
    fill[:, :, pad:pad + h, pad:pad + w] = xb
    offsets = torch.randint(0, 2 * pad + 1, (n, 2), generator=generator)
    flips = torch.rand(n, generator=generator) < 0.5
    out = torch.empty_like(xb)
    for i in range(n):
        oy, ox = int(offsets[i, 0]), int(offsets[i, 1])
        crop = fill[i, :, oy:oy + h, ox:ox + w]
        out[i] = crop.flip(-1) if flips[i] else crop
    return out


PAD_VALUE = [0.0]  # set in main: -mean/std per channel


def augments():
    return bool(CONFIG.get("augment", False)) and LAB["datasets"][CONFIG["dataset"]].get("augments", False)


def train_phase(model, data, epochs, rates, generator, on_epoch=None, before_step=None):
    """Trains with masked SGD; iteration t uses rates[t]."""
    x, y = data[0]
    batch = CONFIG["batchSize"]
    wd = CONFIG["weightDecay"]
    opt = torch.optim.SGD(model.parameters(), lr=rates[0], momentum=0.9, weight_decay=wd, nesterov=wd > 0)
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
                group["lr"] = rates[t]
            idx = order[b * batch:(b + 1) * batch]
            xb = augment(x[idx], generator) if augments() else x[idx]
            loss = F.cross_entropy(model(xb), y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += float(loss)
            t += 1
        record = assess(model, data)
        record.update(epoch=epoch, trainLoss=total / per_epoch, lr=rates[t - 1])
        if on_epoch:
            on_epoch(record)
    return t


# ------------------------------------------------------------------------- the lab's results file
# The run as the lab's own results schema (src/schema/results.ts, docs/results.md), so that it
# imports, compares and shares like a run trained in the browser.

def output_sizes(model, layers, shape, device):
    """(height, width) of every prunable layer's output for one image (1 x 1 for a dense layer)."""
    sizes = {}
    hooks = [m.register_forward_hook(lambda mod, inp, out, n=n: sizes.__setitem__(n, tuple(out.shape[2:4]) if out.dim() == 4 else (1, 1)))
             for n, m in layers]
    was_training = model.training
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, shape[2], shape[0], shape[1], device=device))
    model.train(was_training)
    for h in hooks:
        h.remove()
    return [list(sizes[n]) for n, _ in layers]


def layer_stats(layers):
    out = []
    for (n, m), mask in zip(layers, lab_masks(layers)):
        size = len(mask)
        alive = int(mask.sum())
        out.append({"name": n, "shape": lab_shape(m), "size": size, "alive": alive,
                    "sparsity": 1 - alive / size if size else 0.0})
    return out


def compression_report(layers, geometry, before, after, acc_before, acc_after):
    """The lab's compression report (src/engine/report.ts): FLOPs, storage, norm drop, instability."""
    rows = []
    for (n, m), mask, out_size, b, a in zip(layers, lab_masks(layers), geometry, before, after):
        shape = lab_shape(m)
        size = len(mask)
        alive = int(mask.sum())
        dense_flops = 2 * size * out_size[0] * out_size[1]
        rows.append({
            "name": n, "size": size, "alive": alive,
            "flopsDense": dense_flops, "flopsSparse": dense_flops * alive / size,
            "storageDenseBytes": 4 * size,
            "storageBitmaskBytes": math.ceil(size / 8) + 4 * alive,
            "storageCsrBytes": 8 * alive + 4 * (size // shape[-1] + 1),
            "normDrop": norm_drop([b], [a]),
        })
    total = lambda key: sum(r[key] for r in rows)
    sparse = total("flopsSparse")
    return {
        "layers": rows,
        "total": {"flopsDense": total("flopsDense"), "flopsSparse": sparse,
                  "speedup": total("flopsDense") / sparse if sparse > 0 else 0,
                  "storageDenseBytes": total("storageDenseBytes"),
                  "storageBitmaskBytes": total("storageBitmaskBytes"),
                  "storageCsrBytes": total("storageCsrBytes"),
                  "normDrop": norm_drop(before, after)},
        "instability": (acc_before - acc_after) / acc_before if acc_before > 0 else 0,
    }


def validation_split(n, fraction, seed):
    """The lab's validation split (src/data/validation.ts): round(fraction * n) of the n training
    images, the first of the permutation seeded by deriveSeed(seed, "validation") (the lab's
    Fisher-Yates over its Alea stream, number for number), held out. Returns (kept, held), the
    indices of both parts in ascending order; held is empty for a fraction of 0."""
    count = int(math.floor(fraction * n + 0.5))
    if count <= 0:
        return np.arange(n), np.arange(0)
    rng = make_rng(derive_seed(seed, "validation"))
    order = list(range(n))
    for i in range(n - 1, 0, -1):
        j = int(math.floor(rng() * (i + 1)))
        order[i], order[j] = order[j], order[i]
    return np.sort(np.array(order[count:])), np.sort(np.array(order[:count]))


def evaluation_of(record):
    """An epoch record's evaluation: test accuracy and loss, and validation accuracy if any."""
    return {k: record[k] for k in ("testAccuracy", "testLoss", "validationAccuracy") if k in record}


def load_data(args, cache):
    """(dataset info, (train, test[, validation]) tensors) for CONFIG; files read once per set."""
    key = (CONFIG["dataset"], args.data_dir)
    if CONFIG["dataset"] == "images":  # read at the run's size and channels
        key += (CONFIG.get("imageSize", 32), CONFIG.get("imageChannels", "rgb"))
    if key not in cache:
        cache.clear()  # one set in memory at a time
        cache[key] = DATASETS[CONFIG["dataset"]](args)
    train, test = cache[key][:2]
    info = LAB["datasets"][CONFIG["dataset"]]
    if CONFIG["dataset"] == "images":  # your own images: shape from the config, classes from the folders
        info = dict(info, imageShape=list(train[0].shape[1:]), classes=len(cache[key][2]))
    mean, std = normalisation(info, train)
    if CONFIG["dataset"] == "idx":  # your own IDX files: classes from the labels, their own statistics
        info = dict(info, classes=int(max(train[1].max(), test[1].max())) + 1)
        mean, std = float(train[0].mean() / 255), float(train[0].std() / 255)
    means, stds = (mean, std) if isinstance(mean, list) else ([mean], [std])
    PAD_VALUE[:] = [-m / s for m, s in zip(means, stds)]
    # As the lab: normalised by the whole training set's statistics, then the split held out.
    kept, held = validation_split(len(train[1]), CONFIG.get("validationSplit", 0), CONFIG["seed"])
    parts = [(train[0][kept], train[1][kept]), test] + ([(train[0][held], train[1][held])] if len(held) else [])
    return info, tuple(to_tensors(part, mean, std, args.device) for part in parts)


def use_config(config):
    """Makes `config` the experiment every function here reads as CONFIG."""
    global CONFIG
    CONFIG = config


def run_experiment(config, args, cache):
    """Runs one experiment (one seed) and returns its results in the lab's schema."""
    use_config(config)
    torch.manual_seed(CONFIG["seed"])
    generator = torch.Generator().manual_seed(CONFIG["seed"])
    prune_rng = make_rng(derive_seed(CONFIG["seed"], "prune"))
    info, data = load_data(args, cache)
    x = data[0][0]
    model = MODELS[CONFIG["model"]](info["imageShape"], info["classes"]).to(args.device)
    layers = prunable(model)
    batch = CONFIG["batchSize"]
    per_epoch = len(x) // batch
    dense = dense_schedule(CONFIG["lr"], per_epoch, CONFIG["denseEpochs"])
    t_orig = dense["iterations"]
    target, cycles = CONFIG["targetSparsity"], CONFIG["cycles"]
    geometry = output_sizes(model, layers, info["imageShape"], args.device)
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    results = {
        "schemaVersion": 1,
        "config": CONFIG,
        "environment": {"backend": "pytorch-" + str(args.device).split(":")[0], "adapter":
                        torch.cuda.get_device_name() if str(args.device).startswith("cuda") else None,
                        "tfjsVersion": "none (PyTorch %s)" % torch.__version__, "runtime": "pytorch",
                        "startedAt": started, "computeTimeMs": 0},
        "model": {"name": CONFIG["model"], "totalParams": sum(p.numel() for p in model.parameters()) + sum(
                      b.numel() for n, b in model.named_buffers() if "running" in n),
                  "prunableParams": sum(m.weight.numel() for _, m in layers), "layers": layer_stats(layers)},
        "dense": None, "gmp": None, "cycles": [],
    }
    clock = time.time()

    saved = {}
    if CONFIG["rewind"] == "init" and CONFIG["regime"] == "imp":
        saved = {k: v.clone() for k, v in model.state_dict().items()}

    dense_epochs = []

    def on_dense_epoch(record):
        record.update(phase="dense", cycle=0, globalEpoch=record["epoch"], sparsity=sparsity(layers))
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
            keep = round_half_even((1 - s_t) * total)
            if keep < alive:
                prune_step(layers, 1 - keep / alive, s_t, int(k), max(1, n), prune_rng)
            steps.append({"iteration": t, "plannedSparsity": s_t, "sparsity": sparsity(layers),
                          "layers": [l["sparsity"] for l in layer_stats(layers)]})

    dense_rates = [dense_lr(dense, t) for t in range(t_orig)]
    train_phase(model, data, CONFIG["denseEpochs"], dense_rates, generator, on_dense_epoch, before_step)
    final = dense_epochs[-1]
    results["dense"] = {"iterations": t_orig, "lrMax": dense["lrMax"], "lrMin": dense["lrMin"],
                        "final": evaluation_of(final),
                        "lrSchedule": dense_rates, "epochs": dense_epochs}
    global_epoch = CONFIG["denseEpochs"]
    accuracy_before = final["testAccuracy"]

    if CONFIG["regime"] == "imp":
        fraction = 1 - (1 - target) ** (1 / cycles)
        for cycle in range(1, cycles + 1):
            planned = planned_sparsity(target, cycles, cycle)
            before = kernel_values(layers)
            norm_before = squared_norm(model)
            alive_before = alive_count(layers)
            prune_step(layers, fraction, planned, cycle, cycles, prune_rng)
            after = kernel_values(layers)
            norm_after = squared_norm(model)
            record = {
                "cycle": cycle,
                "plannedSparsity": planned,
                "sparsity": sparsity(layers),
                "pruneFraction": fraction,
                "pruned": alive_before - alive_count(layers),
                "layers": layer_stats(layers),
                "afterPrune": assess(model, data),
                "afterRecalibration": None,
                "afterRewind": None,
                "afterRetrain": None,
                "paramNormDrop": math.sqrt(abs(norm_before - norm_after)) / math.sqrt(norm_before) if norm_before > 0 else 0.0,
                "retrainIterations": 0,
                "epochs": [],
            }
            record["report"] = compression_report(layers, geometry, before, after, accuracy_before,
                                                  record["afterPrune"]["testAccuracy"])
            if CONFIG["bnRecalibration"] and recalibrate_bn(model, x, batch, generator):
                record["afterRecalibration"] = assess(model, data)
            if saved:
                rewind_to(model, saved)
                record["afterRewind"] = assess(model, data)
            iterations = per_epoch * CONFIG["retrainEpochs"]
            if iterations > 0:
                effect = {"normDrop": record["paramNormDrop"], "pruneFraction": fraction}
                rates = retrain_rates(CONFIG["retrainSchedule"], {
                    "dense": dense, "iterations": iterations, "epochs": CONFIG["retrainEpochs"], "effect": effect})
                record["lrSchedule"] = rates
                record["retrainIterations"] = iterations
                epochs = record["epochs"]

                def on_retrain_epoch(r, cycle=cycle):
                    r.update(phase="retrain", cycle=cycle, globalEpoch=global_epoch + r["epoch"],
                             sparsity=sparsity(layers))
                    epochs.append(r)

                train_phase(model, data, CONFIG["retrainEpochs"], rates, generator, on_retrain_epoch)
                global_epoch += CONFIG["retrainEpochs"]
                record["afterRetrain"] = evaluation_of(epochs[-1])
            results["cycles"].append(record)
            acc = record["afterRetrain"] or record["afterPrune"]
            accuracy_before = acc["testAccuracy"]
            print("cycle %d: sparsity %.4f%%, after prune %.2f%%, final %.2f%%" % (
                cycle, 100 * record["sparsity"], 100 * record["afterPrune"]["testAccuracy"], 100 * acc["testAccuracy"]))
    results["environment"]["computeTimeMs"] = 1000 * (time.time() - clock)
    return results


def write_json(path, document):
    """Writes `document` to `path` whole or not at all (a temporary file renamed), folders made."""
    folder = os.path.dirname(path)
    if folder:
        os.makedirs(folder, exist_ok=True)
    partial = "%s.%d.partial" % (path, os.getpid())
    with open(partial, "w") as f:
        json.dump(document, f, indent=2)
    os.replace(partial, path)
    print("wrote %s" % path)


def with_repeats(runs):
    """The lab's results document for several seeds: the first run, the others in `repeats`."""
    return dict(runs[0], repeats=runs[1:]) if len(runs) > 1 else runs[0]


def repeat_seeds(config):
    return [config["seed"] + i for i in range(config.get("repeats", 1))]


def common_arguments(parser):
    parser.add_argument("--data-dir", help="folder with the MNIST IDX files; CIFAR: its binary .tar.gz or folder; "
                        "images: a folder or .zip of class folders")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--threads", type=int, default=0, help="CPU threads (0: PyTorch default)")


def main_experiment():
    """One experiment: every seed of its repeats, in one results file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common_arguments(parser)
    parser.add_argument("--out", default="results.json")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    config, cache = CONFIG, {}
    write_json(args.out, with_repeats([run_experiment(dict(config, seed=s), args, cache) for s in repeat_seeds(config)]))


# A sweep's array tasks (SWEEP, from `npm run imp -- --sweep ... --export-pytorch ...`): one per
# run and seed, each {"name", "run", "seeds", "config"}. A task writes <out>/<name>/results.json;
# a run of several seeds has a task per seed (<name> = <run>/seed-<s>), and whichever of them
# finishes last finds every seed's file and writes <out>/<run>/results.json with all of them.

def combine_seeds(out, task):
    paths = [os.path.join(out, task["run"], "seed-%d" % s, "results.json") for s in task["seeds"]]
    missing = [p for p in paths if not os.path.exists(p)]
    if missing:
        print("%s: %d of %d seeds still to run" % (task["run"], len(missing), len(paths)))
        return
    runs = []
    for p in paths:
        with open(p) as f:
            runs.append(json.load(f))
    write_json(os.path.join(out, task["run"], "results.json"), with_repeats(runs))


def run_task(index, args, cache):
    task = SWEEP[index]
    print("task %d of %d: %s" % (index, len(SWEEP), task["name"]))
    write_json(os.path.join(args.out, task["name"], "results.json"), run_experiment(task["config"], args, cache))
    if len(task["seeds"]) > 1:
        combine_seeds(args.out, task)


def main_sweep():
    parser = argparse.ArgumentParser(description="Pruning Lab sweep, exported for PyTorch: %d array tasks "
                                     "(--index 0 to %d, as Slurm's SLURM_ARRAY_TASK_ID)" % (len(SWEEP), len(SWEEP) - 1))
    common_arguments(parser)
    parser.add_argument("--out", default="results", help="folder for <run name>/results.json")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--index", type=int, help="the task to run, 0-based (default: $SLURM_ARRAY_TASK_ID)")
    which.add_argument("--all", action="store_true", help="run every task here, one after another")
    which.add_argument("--list", action="store_true", help="print each task's index and name")
    args = parser.parse_args()
    if args.list:
        for i, task in enumerate(SWEEP):
            print("%d\t%s" % (i, task["name"]))
        return
    if args.threads:
        torch.set_num_threads(args.threads)
    cache = {}
    if args.all:
        for i in range(len(SWEEP)):
            run_task(i, args, cache)
        return
    index = args.index
    if index is None:
        if "SLURM_ARRAY_TASK_ID" not in os.environ:
            parser.error("give --index, --all or --list (or run as a Slurm array task)")
        index = int(os.environ["SLURM_ARRAY_TASK_ID"])
    if not 0 <= index < len(SWEEP):
        parser.error("no task %d: the tasks are 0 to %d" % (index, len(SWEEP) - 1))
    run_task(index, args, cache)


if __name__ == "__main__":
    main_sweep() if SWEEP is not None else main_experiment()
