"""The fetch command's defaults, in a module of their own.

The command line shows them in ``kommunegraf fetch --help`` and so reads them at start-up; kept
beside the HTTP client they made every command (``trace`` included) import httpx and tenacity
first, about 150 ms of each process.
"""

from __future__ import annotations

DEFAULT_RATE = 2.0  # requests a second
DEFAULT_TIMEOUT = 30.0  # seconds, each of connect / read / write / pool
DEFAULT_ATTEMPTS = 5  # tries per request, the first included
DEFAULT_CACHE = "./kommunegraf-cache"  # where fetched meetings are kept
