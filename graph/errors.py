"""Errors raised by the graph layer. `GraphError` is the root; callers map it in one place."""


class GraphError(Exception):
    """Root of every error the graph package raises."""


class StoreUnavailable(GraphError):
    """The backing store cannot be reached (server down, wrong credentials, not started)."""


class NodeNotFound(GraphError):
    """No node has the requested id."""


class StoreCorrupt(GraphError):
    """Persisted state cannot be read back."""


class QueryRefused(GraphError):
    """A query was refused before it ran (e.g. a write clause sent to the read-only endpoint)."""


class NotSupported(GraphError):
    """The backend does not offer this operation (e.g. Cypher on the embedded store)."""


class InvalidQuery(QueryRefused):
    """A read-only query the database rejected (syntax error, unknown procedure, timeout)."""
