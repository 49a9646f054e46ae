"""The thin command line: one command a module, one error renderer."""
