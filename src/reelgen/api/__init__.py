"""HTTP API: the FastAPI app and its routes."""
