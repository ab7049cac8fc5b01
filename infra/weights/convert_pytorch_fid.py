#!/usr/bin/env python3
"""Convert pytorch-fid's Inception weights (pt_inception-2015-12-05-6726825d.pth) to safetensors.

The output keeps the state-dict keys unchanged (e.g. Conv2d_1a_3x3.conv.weight, Mixed_7c.branch_pool.bn.running_var,
fc.weight (1008, 2048), fc.bias); spdiff's InceptionV3Fid.load(path) reads it and checks every name and shape.
The safetensors format is written by hand (8-byte little-endian header length, JSON header, raw little-endian data)
so that only torch is needed.

Usage:
  python3 convert_pytorch_fid.py pt_inception-2015-12-05-6726825d.pth pt_inception-2015-12-05.safetensors
  python3 convert_pytorch_fid.py --self-test     # round trip on a small fake state dict
"""
import argparse
import hashlib
import json
import struct
import sys

DTYPES = {  # torch dtype name -> (safetensors dtype, bytes per element)
    "torch.float32": "F32",
    "torch.float64": "F64",
    "torch.float16": "F16",
    "torch.int64": "I64",
    "torch.int32": "I32",
}


def to_safetensors_bytes(state_dict, metadata=None):
    """Serialise a {name: tensor} dict; tensors are made contiguous and little-endian on the CPU."""
    header, blobs, offset = {}, [], 0
    for name in sorted(state_dict):
        t = state_dict[name].detach().cpu().contiguous()
        dtype = DTYPES.get(str(t.dtype))
        if dtype is None:
            raise ValueError(f"tensor {name}: unsupported dtype {t.dtype}")
        data = t.numpy().astype(t.numpy().dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * ((8 - len(raw) % 8) % 8)
    return struct.pack("<Q", len(raw)) + raw + b"".join(blobs)


def read_safetensors_header(blob):
    (n,) = struct.unpack("<Q", blob[:8])
    return json.loads(blob[8:8 + n].decode("utf-8")), 8 + n


def convert(src, dst):
    import torch

    with open(src, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    state_dict = torch.load(src, map_location="cpu")
    if not isinstance(state_dict, dict):
        raise ValueError(f"{src}: expected a state dict, got {type(state_dict)}")
    blob = to_safetensors_bytes(state_dict, {"source": src.split("/")[-1], "source_sha256": sha})
    with open(dst, "wb") as f:
        f.write(blob)
    print(f"wrote {len(state_dict)} tensors to {dst} (source sha256 {sha[:16]})")


def self_test():
    import numpy as np
    import torch

    g = torch.Generator().manual_seed(0)
    sd = {
        "Conv2d_1a_3x3.conv.weight": torch.randn(32, 3, 3, 3, generator=g),
        "Conv2d_1a_3x3.bn.running_var": torch.rand(32, generator=g) + 0.5,
        "Conv2d_1a_3x3.bn.num_batches_tracked": torch.tensor(7, dtype=torch.int64),
        "fc.bias": torch.randn(1008, generator=g).double(),
    }
    blob = to_safetensors_bytes(sd, {"source": "fake"})
    header, start = read_safetensors_header(blob)
    assert set(header) - {"__metadata__"} == set(sd), header.keys()
    for name, t in sd.items():
        h = header[name]
        b, e = h["data_offsets"]
        dt = {"F32": "<f4", "F64": "<f8", "I64": "<i8"}[h["dtype"]]
        back = np.frombuffer(blob[start + b:start + e], dtype=dt).reshape(h["shape"])
        assert np.array_equal(back, t.numpy()), name
    print("self-test ok:", len(sd), "tensors")
    return blob


def main(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("src", nargs="?")
    p.add_argument("dst", nargs="?")
    p.add_argument("--self-test", action="store_true")
    p.add_argument("--write-fixture", help="with --self-test: also write the fake state dict to this path")
    a = p.parse_args(argv)
    if a.self_test:
        blob = self_test()
        if a.write_fixture:
            with open(a.write_fixture, "wb") as f:
                f.write(blob)
        return
    if not a.src or not a.dst:
        p.error("need SRC.pth and DST.safetensors")
    convert(a.src, a.dst)


if __name__ == "__main__":
    main(sys.argv[1:])
