"""The public release: the national lists as CSV, a spreadsheet, a national report and a deck."""
