"""Durable jobs: SQL job store, dispatcher, Ray GPU workers, artifacts."""
