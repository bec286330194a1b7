"""Delivery: the outbox sender, the scheduler and the router to each channel."""
