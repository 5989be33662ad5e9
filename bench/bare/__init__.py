"""The bare baseline: one Django view that does one INSERT (see bench/checkin_create.py)."""
