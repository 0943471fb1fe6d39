"""The real-world corpus: pinned public OpenAPI documents (fetch.py), run through the quality bar (run.py)."""
