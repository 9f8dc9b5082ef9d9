"""Exploring the graph: entities by name, an entity with its relations and evidence, neighbourhoods,
paths, read-only Cypher and store statistics."""
