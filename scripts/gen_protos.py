"""Generate Python code for every proto under proto/ into libs/ekm-protos/.

Usage: python scripts/gen_protos.py [--out DIR]
The generator is pinned (grpcio-tools in requirements.lock); `make proto-check`
regenerates into a temporary folder and fails when the result differs.
"""

import argparse
import pathlib
import sys

import grpc_tools
from grpc_tools import protoc

ROOT = pathlib.Path(__file__).resolve().parent.parent
PROTO_ROOT = ROOT / "proto"


def generate(out: pathlib.Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    protos = sorted(str(p.relative_to(PROTO_ROOT)) for p in PROTO_ROOT.rglob("*.proto"))
    include = pathlib.Path(grpc_tools.__file__).parent / "_proto"
    args = [
        "protoc",
        f"-I{PROTO_ROOT}",
        f"-I{include}",
        f"--python_out={out}",
        f"--pyi_out={out}",
        f"--grpc_python_out={out}",
        *protos,
    ]
    if protoc.main(args) != 0:
        sys.exit("protoc failed")
    for directory in sorted({p.parent for p in out.rglob("*_pb2.py")}):
        while directory != out:
            (directory / "__init__.py").touch()
            directory = directory.parent


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "libs" / "ekm-protos"))
    generate(pathlib.Path(parser.parse_args().out))
