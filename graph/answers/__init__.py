"""What a user reads: trace, stats, validation, the HTML graph."""
