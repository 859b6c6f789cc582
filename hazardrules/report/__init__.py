"""Output formats of a check: JSON (machines), text and Markdown (people)."""
