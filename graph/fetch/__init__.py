"""Portals into the cache: clients, listings, the cache."""
