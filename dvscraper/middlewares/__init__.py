"""Downloader middlewares: Retry-After aware retries, port-aware offsite filtering."""
