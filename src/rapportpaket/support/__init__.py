"""What every stage uses: the clock, atomic files, Swedish formatting."""
