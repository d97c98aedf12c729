"""Run the command line as `python -m rapportpaket`."""

from __future__ import annotations

from rapportpaket.cli import app

if __name__ == "__main__":
    app(prog_name="rapportpaket")
