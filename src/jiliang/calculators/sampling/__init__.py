"""Web pages and REST endpoints for acceptance sampling (thin over :mod:`jiliang.sampling`)."""
