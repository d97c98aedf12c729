"""Stage 4, delivery: orders, the production state, mails and their transports, the run."""
