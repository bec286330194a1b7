"""Delivery features on a small seeded community: broadcasts and construction notices."""
