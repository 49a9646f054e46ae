"""The text core: folding, slugs, case numbers, dates, body names and regex pre-checks.

Both halves of the project read text by these rules: ``extract`` when it writes a record,
``graph`` when it mints an IRI or looks up what a user typed.  Keeping one copy here means an
entity key and the IRI minted from it cannot drift apart.  The modules import nothing but the
standard library and ``regex`` (no extractor, no store), so ``kommunegraf trace`` and
``graph.rdf.iris`` may use them without paying for the extractor's import.
"""
