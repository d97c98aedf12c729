"""Fill an edition's values from Kolada, the open database of municipal statistics.

`responses` reads Kolada's v2 data format, `client` fetches it (retries, a polite rate,
paging) through the `cache` of raw responses, `plan` decides what changes per indicator
and `values_file` rewrites values.csv/.xlsx, leaving every other row as it was.
`commands/kolada.py` runs them in that order.
"""

from __future__ import annotations

DEFAULT_BASE_URL = "https://api.kolada.se/v2"
BASE_URL_VARIABLE = "RAPPORTPAKET_KOLADA_URL"  # the environment variable that overrides it
