"""One module per command group of the CLI: each reads as the list of stages it runs."""
