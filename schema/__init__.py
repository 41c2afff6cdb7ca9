"""Strawberry types, inputs, enums, errors and limits; the Schema object is composed in app.graphql_schema."""
