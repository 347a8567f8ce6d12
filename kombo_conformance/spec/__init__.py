"""Pre-release spec validation: ``lint`` (is the document sound?) and ``diff`` (does the new
version break clients of the old one?)."""
