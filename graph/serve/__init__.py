"""The local query page and its killable workers."""
