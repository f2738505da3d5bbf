"""Digests without `hashlib` (issue 12): `hashlib` loads OpenSSL (`_hashlib`), which cost
a 5-case `status` ~4.5 ms of its ~55 ms. Python's own modules give the same digests;
`hashlib`'s where they are not built.

- `sha256` (`_sha256`; `_sha2` from 3.12): what the ledger records (evidence files, the
  history), where the digest is a fact others may check.
- `blake2b` (`_blake2`): the content hashes that only depositctl compares with its own
  (the derived cache's key, the prebuilt tables' freshness). Python's SHA-256 took a
  5-case `status` 7 M instructions of ~140 M for the ~125 kB it hashes; BLAKE2b takes
  about a third of that.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hashlib import blake2b as blake2b
    from hashlib import sha256 as sha256
else:
    try:
        from _sha256 import sha256
    except ImportError:  # Python 3.12 and later
        try:
            from _sha2 import sha256
        except ImportError:
            from hashlib import sha256
    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - a Python built without it
        from hashlib import blake2b

__all__ = ["blake2b", "sha256"]
