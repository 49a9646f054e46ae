"""Where the triples live: the Backend protocol, the embedded store and the server client."""
