"""The ``jiliang`` command: thin edges over the core and the services."""
