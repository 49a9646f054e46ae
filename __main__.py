"""``python -m kommunegraf``: the command line, as the ``kommunegraf`` script runs it."""

from kommunegraf.graph.cli.main import main

if __name__ == "__main__":
    main()
