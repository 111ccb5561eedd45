"""Web and REST edges of the uncertainty engine (``jiliang.uncertainty``): no models, no state."""
