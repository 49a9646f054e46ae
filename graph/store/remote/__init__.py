"""A SPARQL 1.1 server as the store (``--endpoint URL``): open it with :func:`open_remote`.

The package's rooms: ``store`` (RemoteStore: the protocols, the log, loading), ``http`` (URLs,
credentials, requests) and ``binding`` (bound values as a VALUES block).  What a write does
is graph.store.updates' (shared with the embedded store).  Everything other code imported
from the single module this package replaced is here still.
"""

from kommunegraf.graph.store.remote.binding import SPARQL_TOKEN, VARNAME, bind_values, values_block
from kommunegraf.graph.store.remote.http import (
    DEFAULT_TIMEOUT,
    N_TRIPLES,
    PASSWORD_ENV,
    QUERY_ACCEPT,
    RESULT_MEDIA_TYPES,
    RESULTS_JSON,
    STORE_ENV,
    TIMEOUT_ENV,
    UPDATE_ENV,
    USER_ENV,
    Answer,
    Endpoints,
    Http,
    credentials,
    endpoints_for,
)
from kommunegraf.graph.store.remote.store import RemoteStore, open_remote

__all__ = [
    "DEFAULT_TIMEOUT",
    "N_TRIPLES",
    "PASSWORD_ENV",
    "QUERY_ACCEPT",
    "RESULTS_JSON",
    "RESULT_MEDIA_TYPES",
    "SPARQL_TOKEN",
    "STORE_ENV",
    "TIMEOUT_ENV",
    "UPDATE_ENV",
    "USER_ENV",
    "VARNAME",
    "Answer",
    "Endpoints",
    "Http",
    "RemoteStore",
    "bind_values",
    "credentials",
    "endpoints_for",
    "open_remote",
    "values_block",
]
