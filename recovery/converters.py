"""The URL converter for every row id in every app: `<id:pk>`.

Django's `<int:…>` matches any run of digits. An id of 2^63 or more then reaches
the database, where PostgreSQL finds nothing but SQLite raises OverflowError (a
500). `<id:…>` matches only numbers a row id can be, so anything else is a 404
before any view runs.
"""

from recovery.fields import parse_id


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            # The resolver takes ValueError as "this pattern does not match".
            raise ValueError(value)
        return number

    def to_url(self, value: int) -> str:
        return str(value)
