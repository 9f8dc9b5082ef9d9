"""HTTP routes, one module per area. Thin: validate, call one service function; errors map in errors.py."""

OPENAPI_TAGS = [
    {"name": "search", "description": "Hybrid (dense + Chinese keyword) passage search with filters and highlights."},
    {"name": "ask", "description": "Questions answered from the graph or extractively, always with citations."},
    {"name": "entities and graph", "description": "Entities by name or alias, relations with evidence, paths."},
    {"name": "graph", "description": "Read-only Cypher (Neo4j) and store statistics."},
    {"name": "documents", "description": "Upload (runs ingest), list and delete policy documents."},
    {"name": "jobs", "description": "Background jobs: large uploads and reference reloads, their progress and result."},
    {"name": "matching", "description": "专业 ↔ 行业/产业链 matching with evidence, and a school's missing 专业."},
    {"name": "export", "description": "The graph as GraphML or JSON, search results as CSV (attachments)."},
    {"name": "vocabulary", "description": "Chinese names for the graph's labels and relationship types."},
    {"name": "health", "description": "Liveness and store status."},
]
