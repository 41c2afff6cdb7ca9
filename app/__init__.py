"""N-Zero Coordination: the ASGI app, its settings and the domain services."""
