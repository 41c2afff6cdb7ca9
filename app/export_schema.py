"""`python -m app.export_schema`: write the GraphQL schema (SDL) to schema.graphql."""

from __future__ import annotations

from app.settings import ROOT

SCHEMA_FILE = ROOT / "schema.graphql"


def sdl() -> str:
    from app.graphql_schema import schema

    return schema.as_str() + "\n"


def main() -> None:
    SCHEMA_FILE.write_text(sdl())
    print(f"wrote {SCHEMA_FILE}")


if __name__ == "__main__":
    main()
