"""Federated search: fan-out over many targets, per-target status, merge and dedup."""
