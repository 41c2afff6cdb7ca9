"""Root resolvers (thin) and the request-scoped DataLoaders."""
