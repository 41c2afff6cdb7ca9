"""What the database and the GraphQL schema still lack of the seed ERD: `python -m tests.erd.gap > docs/erd-gap.md`.

Checks each seed column against the Tortoise models' columns and the exported schema.graphql (the column
camel-cased; money may be `<name>Cents`), and each CHECK vocabulary against the GraphQL enum of that field. The
ERD test (issue 11) asserts this list is empty; until then it is the work list.
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass
from pathlib import Path

from graphql import GraphQLEnumType, GraphQLObjectType, build_schema, get_named_type
from tortoise import Tortoise

from tests.erd.seed_erd import GRAPHQL_TYPES, TABLES, Column

ROOT = Path(__file__).resolve().parents[2]
NOT_MONEY = {"percentage_rate", "hours_per_day", "coordination_score", "capacity_utilization", "duration_hours"}


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def names_for(column: Column) -> tuple[str, ...]:
    """The names a column may carry: itself, or `<name>_cents` for money."""
    if column.sql_type.startswith("DECIMAL(10") and column.name not in NOT_MONEY:
        return (column.name, f"{column.name}_cents")
    return (column.name,)


@dataclass(frozen=True)
class Gap:
    table: str
    column: str
    where: str
    what: str


async def database_columns() -> dict[str, set[str]]:
    await Tortoise.init(db_url="sqlite://:memory:", modules={"models": ["models"]})
    try:
        found: dict[str, set[str]] = {}
        for app in Tortoise.apps.values():
            for model in app.values():
                found.setdefault(model._meta.db_table, set()).update(model._meta.fields_db_projection.values())
        return found
    finally:
        await Tortoise.close_connections()


def gaps(columns: dict[str, set[str]], sdl: str) -> list[Gap]:
    schema = build_schema(sdl)
    found: list[Gap] = []
    for table, seed_columns in TABLES.items():
        have = columns.get(table, set())
        gql_type = schema.get_type(GRAPHQL_TYPES[table])
        fields = gql_type.fields if isinstance(gql_type, GraphQLObjectType) else {}
        for column in seed_columns:
            names = names_for(column)
            if not have & set(names):
                found.append(Gap(table, column.name, "database", "missing"))
            gql_name = next((camel(n) for n in names if camel(n) in fields), None)
            if gql_name is None:
                found.append(Gap(table, column.name, "GraphQL", f"no field {camel(column.name)}"))
                continue
            if column.values:
                enum = get_named_type(fields[gql_name].type)
                if not isinstance(enum, GraphQLEnumType):
                    found.append(Gap(table, column.name, "GraphQL", f"{gql_name} is {enum}, not an enum"))
                    continue
                wanted = {v.upper() for v in column.values}
                missing = sorted(wanted - set(enum.values))
                extra = sorted(set(enum.values) - wanted)
                if missing:
                    found.append(Gap(table, column.name, "vocabulary", f"{enum.name} lacks {', '.join(missing)}"))
                if extra:
                    found.append(Gap(table, column.name, "vocabulary", f"{enum.name} adds {', '.join(extra)}"))
    return found


def report(found: list[Gap]) -> str:
    lines = [
        "# The seed ERD against the database and the GraphQL schema",
        "",
        "Made by `python -m tests.erd.gap`; every row is a column or value the seed has and we do not show as it says.",
        "",
        f"{len(found)} gaps.",
        "",
        "| table | column | where | what |",
        "|---|---|---|---|",
    ]
    lines += [f"| {g.table} | {g.column} | {g.where} | {g.what} |" for g in found]
    return "\n".join(lines) + "\n"


def main() -> None:
    columns = asyncio.run(database_columns())
    sys.stdout.write(report(gaps(columns, (ROOT / "schema.graphql").read_text())))


if __name__ == "__main__":
    main()
