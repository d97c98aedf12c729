"""Raw Kolada responses kept on disk, with their address and time of retrieval.

With them an import can be repeated and audited without the network (`--offline`): the
cache answers exactly the addresses the import asked for. One JSON file per address:
`{"url": ..., "retrieved_at": ISO 8601, "body": the response text as received}`.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rapportpaket.support.files import write_atomic

_NOT_NAME = re.compile(r"[^A-Za-z0-9]+")


class CacheError(ValueError):
    """A cache file that cannot be read back."""


@dataclass(frozen=True)
class CachedResponse:
    """One response body as received, with where and when it came from."""

    url: str
    retrieved_at: datetime
    body: str


class ResponseCache:
    """A folder of cached responses, one file per address."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path_for(self, url: str) -> Path:
        """Return the file of `url`: readable from the address, unique by its hash."""
        readable = _NOT_NAME.sub("-", url.split("://", 1)[-1]).strip("-")[-80:]
        digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:12]
        return self.folder / f"{readable}-{digest}.json"

    def read(self, url: str) -> CachedResponse | None:
        """Return the cached response of `url`, None if there is none; CacheError if unreadable."""
        path = self.path_for(url)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            response = CachedResponse(
                entry["url"], datetime.fromisoformat(entry["retrieved_at"]), entry["body"]
            )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise CacheError(f"{path}: cannot be read back ({error})") from None
        if response.url != url:
            raise CacheError(f"{path}: holds {response.url}, not {url}")
        return response

    def write(self, response: CachedResponse) -> Path:
        """Store `response` (atomically) and return its file."""
        entry = {
            "url": response.url,
            "retrieved_at": response.retrieved_at.isoformat(),
            "body": response.body,
        }
        path = self.path_for(response.url)
        write_atomic(path, json.dumps(entry, ensure_ascii=False, indent=1) + "\n")
        return path
