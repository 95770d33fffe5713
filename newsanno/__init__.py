"""newsanno: hand-annotated news articles as a validated, deterministic Hugging Face dataset."""
