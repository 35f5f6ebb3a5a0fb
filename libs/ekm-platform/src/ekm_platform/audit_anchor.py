"""Anchors of the audit chain: its head, signed, kept outside the database.

The hash chain alone shows an edit, but not a rewrite: whoever can write the database
can cut the tail off (no later entry points at the missing ones) or edit an entry and
compute every following hash again. So the chainer writes the chain's head — position
and hash — to an anchor log outside the database, each line signed with an Ed25519 key
the database never sees:

    var/audit-anchors/<service>.jsonl      one JSON object a line, appended, never rewritten
    var/keys/audit-anchor-private.pem      the signing key (mode 0600, made on first use)
    var/keys/audit-anchor-public.pem       what an auditor needs to check the anchors

Each line also carries the signature of the line before it, so a line taken out of the
middle breaks the anchors' own chain. ``check_anchors`` finds: an anchored position the
database no longer has (tail cut), an anchored hash the database no longer has there
(entries edited or deleted and the chain computed again), a line whose signature does not
verify (forged or edited anchor), a line missing between two others. What it cannot see
is a rewrite of entries linked after the newest anchor (at most one anchor interval,
``EKM_AUDIT_ANCHOR_INTERVAL`` seconds), or the anchor file's own tail removed: keep the
directory on storage the service's database user cannot write (``EKM_AUDIT_ANCHOR_DIR``;
in production an append-only or object-locked volume).
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import pathlib
from dataclasses import dataclass, field
from datetime import datetime, timezone

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import Table, select
from sqlalchemy.engine import Connection

from ekm_platform import config


def anchor_dir() -> pathlib.Path:
    return pathlib.Path(os.environ.get("EKM_AUDIT_ANCHOR_DIR", config.var_dir() / "audit-anchors"))


def private_key_path() -> pathlib.Path:
    return pathlib.Path(os.environ.get("EKM_AUDIT_ANCHOR_KEY", config.var_dir() / "keys" / "audit-anchor-private.pem"))


def public_key_path() -> pathlib.Path:
    return pathlib.Path(
        os.environ.get("EKM_AUDIT_ANCHOR_PUBLIC_KEY", config.var_dir() / "keys" / "audit-anchor-public.pem")
    )


def anchor_interval() -> float:
    return float(os.environ.get("EKM_AUDIT_ANCHOR_INTERVAL", "5"))


def ensure_signing_key() -> Ed25519PrivateKey:
    """The signing key, made on first use. Two processes starting together agree on one
    key: each writes its own to a temporary file and links it into place; the loser reads
    the winner's."""
    path = private_key_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(pem)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    public = public_key_path()
    if not public.exists():
        public.parent.mkdir(parents=True, exist_ok=True)
        public.write_bytes(
            key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        )
    return key


def verifying_key() -> Ed25519PublicKey | None:
    if public_key_path().exists():
        return serialization.load_pem_public_key(public_key_path().read_bytes())
    if private_key_path().exists():
        return serialization.load_pem_private_key(private_key_path().read_bytes(), password=None).public_key()
    return None


def _signed_part(anchor: dict) -> bytes:
    return json.dumps(
        [anchor["service"], anchor["chain_pos"], anchor["hash"], anchor["at"], anchor["prev"]],
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


def _last_line(handle) -> dict | None:
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    chunk = min(size, 4096)
    while chunk:
        handle.seek(size - chunk)
        lines = handle.read(chunk).splitlines()
        if len(lines) > 1 or chunk == size:
            return json.loads(lines[-1]) if lines else None
        chunk = min(size, chunk * 2)
    return None


class AnchorLog:
    """The anchor file of one service."""

    def __init__(self, service: str, directory: pathlib.Path | None = None):
        self.service = config.package_name(service)  # "registry-gateway" and nameko's "registry_gateway" alike
        self.path = (directory or anchor_dir()) / f"{self.service}.jsonl"

    def append(self, chain_pos: int, head_hash: str, key: Ed25519PrivateKey | None = None) -> dict | None:
        """Anchor the head at ``chain_pos``; nothing when that position (or a later one) is
        anchored already. Safe between processes (the file is locked while appending)."""
        if chain_pos <= 0:
            return None
        key = key or ensure_signing_key()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                last = _last_line(handle)
                if last and last["chain_pos"] >= chain_pos:
                    return None
                anchor = {
                    "service": self.service,
                    "chain_pos": chain_pos,
                    "hash": head_hash,
                    "at": datetime.now(timezone.utc).isoformat(),
                    "prev": last["sig"] if last else "",
                }
                anchor["sig"] = base64.b64encode(key.sign(_signed_part(anchor))).decode()
                handle.seek(0, os.SEEK_END)
                handle.write((json.dumps(anchor, ensure_ascii=False) + "\n").encode())
                handle.flush()
                os.fsync(handle.fileno())
                return anchor
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def read(self) -> list:
        if not self.path.exists():
            return []
        return [line for line in self.path.read_text(encoding="utf-8").splitlines() if line.strip()]


def chain_head(conn: Connection, table: Table) -> tuple[int, str]:
    head = conn.execute(
        select(table.c.chain_pos, table.c.hash)
        .where(table.c.chain_pos.is_not(None))
        .order_by(table.c.chain_pos.desc())
        .limit(1)
    ).first()
    return (head.chain_pos, head.hash) if head else (0, "")


@dataclass
class AnchorCheck:
    anchors: int = 0
    latest_pos: int = 0
    problems: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_anchors(conn: Connection, table: Table, log: AnchorLog, key: Ed25519PublicKey | None = None) -> AnchorCheck:
    """Check every anchor's signature and order, then that the database still holds each
    anchored hash at its position. Problems are Ukrainian / English sentences."""
    result = AnchorCheck()
    lines = log.read()
    linked = chain_head(conn, table)[0]
    if not lines:
        if linked:
            result.problems.append(
                f"немає якорів ланцюга ({log.path}) / no anchors of the chain ({log.path}): "
                "a cut tail or a rewritten chain cannot be ruled out"
            )
        return result
    key = key or verifying_key()
    if key is None:
        result.problems.append("немає ключа для перевірки якорів / no key to verify the anchors")
        return result
    anchored: dict[int, tuple[int, str]] = {}
    prev_sig, prev_pos = "", 0
    for number, line in enumerate(lines, start=1):
        try:
            anchor = json.loads(line)
            signature = base64.b64decode(anchor["sig"], validate=True)
            key.verify(signature, _signed_part(anchor))
        except (ValueError, KeyError, TypeError, InvalidSignature):
            result.problems.append(
                f"якір у рядку {number}: підпис не дійсний / anchor on line {number}: "
                "signature does not verify (forged or edited)"
            )
            continue
        if anchor["service"] != log.service:
            result.problems.append(
                f"якір у рядку {number} належить іншому сервісу / anchor on line {number} "
                f"belongs to {anchor['service']}"
            )
        if anchor["prev"] != prev_sig or anchor["chain_pos"] <= prev_pos:
            result.problems.append(f"перед рядком {number} бракує якорів / anchors missing before line {number}")
        prev_sig, prev_pos = anchor["sig"], anchor["chain_pos"]
        anchored[anchor["chain_pos"]] = (number, anchor["hash"])
        result.anchors += 1
        result.latest_pos = max(result.latest_pos, anchor["chain_pos"])
    positions = sorted(anchored)
    for start in range(0, len(positions), 500):
        chunk = positions[start : start + 500]
        stored = dict(conn.execute(select(table.c.chain_pos, table.c.hash).where(table.c.chain_pos.in_(chunk))).all())
        for pos in chunk:
            number, expected = anchored[pos]
            if pos not in stored:
                result.problems.append(
                    f"запису на позиції {pos} (якір у рядку {number}) у базі немає: хвіст журналу обрізано / "
                    f"entry at chain position {pos} (anchored on line {number}) is gone: the log's tail was cut"
                )
            elif stored[pos] != expected:
                result.problems.append(
                    f"геш на позиції {pos} не збігається з якорем у рядку {number}: ланцюг переписано / "
                    f"hash at chain position {pos} differs from the anchor on line {number}: the chain was rewritten"
                )
    return result
