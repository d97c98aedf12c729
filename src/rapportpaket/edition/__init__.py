"""Stage 1, the edition: read and validate an edition folder into frozen dataclasses."""
