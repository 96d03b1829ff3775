#!/usr/bin/env python3
"""Open a squirrel vault archive straight from disk, with Python's `cryptography` and
`zipfile` only: proof that the format is the one lesson 08 documents ("How it protects a
file").

    python3 open_archive.py DATA_DIR USER PASSWORD ARCHIVE OUT_DIR

Reads the user's salt and iteration count from DATA_DIR/users.json, derives

    master      = PBKDF2-HMAC-SHA256(password, salt, iterations, 32 bytes)
    archive key = HKDF-SHA256(master, salt=None, info=b"squirrel vault archive key", 32)

decrypts DATA_DIR/archives/USER/ARCHIVE as a Fernet token with that key, and extracts
the ZIP's single entry into OUT_DIR. Prints the entry's name.
"""
import base64
import io
import json
import os
import sys
import zipfile

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC


def archive_key(password: str, salt: bytes, iterations: int) -> bytes:
    master = PBKDF2HMAC(hashes.SHA256(), 32, salt, iterations).derive(password.encode("utf-8"))
    key = HKDF(hashes.SHA256(), 32, None, b"squirrel vault archive key").derive(master)
    return base64.urlsafe_b64encode(key)


def main() -> None:
    data_dir, user, password, archive, out_dir = sys.argv[1:6]
    with open(os.path.join(data_dir, "users.json"), encoding="utf-8") as f:
        record = json.load(f)["users"][user]
    key = archive_key(password, base64.b64decode(record["salt"]), record["iterations"])
    with open(os.path.join(data_dir, "archives", user, archive), "rb") as f:
        token = f.read()
    plaintext = Fernet(key).decrypt(token)
    with zipfile.ZipFile(io.BytesIO(plaintext)) as z:
        (entry,) = z.infolist()
        z.extract(entry, out_dir)
        print(entry.filename)
        print(entry.compress_type == zipfile.ZIP_DEFLATED and "deflated" or "stored")


if __name__ == "__main__":
    main()
