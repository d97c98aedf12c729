"""Stage 3, documents: each municipality's package (PDF, deck) from the results model."""
