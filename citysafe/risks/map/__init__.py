"""The four-colour risk map (四色图): page, scoped layers, server rendering, public version."""
