"""One row and a yes-or-no about its related rows, in a query written out once per process.

For the reads that run on nearly every request of a registration rush (the signed-in person, the
event): building them with the ORM (a ``get`` with an ``Exists`` annotation) costs several times
what running them does. Only table and column names from the models go into the SQL, quoted;
values are always parameters.
"""

from django.db import connections


def select_with_exists(model, related, link: str, *, related_true: str = "") -> str:
    """``SELECT`` every column of ``model``, then whether a ``related`` row points at it through
    its ``link`` field (and has its boolean ``related_true`` field true), ``FROM`` the model's
    table: the caller adds ``WHERE``, and ``read_one`` reads the row."""
    quote = connections[model._default_manager.db].ops.quote_name
    meta, related_meta = model._meta, related._meta
    table, related_table = quote(meta.db_table), quote(related_meta.db_table)
    columns = ", ".join(f"{table}.{quote(field.column)}" for field in meta.concrete_fields)
    condition = (
        f"{related_table}.{quote(related_meta.get_field(link).column)} = "
        f"{table}.{quote(meta.pk.column)}"
    )
    if related_true:
        condition += f" AND {related_table}.{quote(related_meta.get_field(related_true).column)}"
    return (
        f"SELECT {columns}, EXISTS (SELECT 1 FROM {related_table} WHERE {condition}) "  # noqa: S608
        f"FROM {table}"
    )


def column(model, name: str) -> str:
    """``table.column`` of a model's field, quoted, for a ``WHERE`` clause."""
    quote = connections[model._default_manager.db].ops.quote_name
    return f"{quote(model._meta.db_table)}.{quote(model._meta.get_field(name).column)}"


def read_one(model, sql: str, params: list, flag: str):
    """The one row ``sql`` finds as a ``model`` instance with the yes-or-no as ``flag``; or None."""
    database = model._default_manager.db
    with connections[database].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    instance = model.from_db(database, [f.attname for f in model._meta.concrete_fields], row[:-1])
    setattr(instance, flag, row[-1])
    return instance
