"""Files into the store: discovery, workers, versions, the run."""
