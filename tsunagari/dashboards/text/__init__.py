"""Plain-text reports of the CLI (one module per report), in the reader's language."""
