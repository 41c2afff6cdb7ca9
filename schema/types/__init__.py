"""GraphQL object types, one module per aggregate; rows are mapped with `from_row`."""
