"""Records into RDF: IRIs, the mapping, case-number keys."""
