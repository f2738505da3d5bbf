"""SHA-256 without `hashlib` (issue 12): `hashlib` loads OpenSSL (`_hashlib`), which cost
a 5-case `status` ~4.5 ms of its ~55 ms for the two digests it takes (the cache key,
the prebuilt rule table). Python's own `_sha256` (`_sha2` from 3.12) gives the same
digest; `hashlib`'s where neither is built."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hashlib import sha256 as sha256
else:
    try:
        from _sha256 import sha256
    except ImportError:  # Python 3.12 and later
        try:
            from _sha2 import sha256
        except ImportError:
            from hashlib import sha256

__all__ = ["sha256"]
