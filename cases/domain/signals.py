"""Signal wiring that keeps derived data current; the logic itself lives in domain modules."""
