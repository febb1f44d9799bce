"""Elastic Path's filter grammar, parsed into a small AST: pure code, no I/O, no knowledge of orders.

    filter  := clause (':' clause)*                 at most 10 clauses, at most 8 KB
    clause  := op '(' field ',' value ')'            eq like gt ge lt le: exactly one value
             | 'in' '(' field ',' value (',' value)* ')'
    value   := '"' (char | '\\' char)* '"'           quoted ("beta" filtering): anything, `\\` escapes
             | bare                                  up to the closing ')' (for `in`: up to ',' or ')')

Whitespace around fields, bare values and clauses is dropped (Elastic Path's own examples write
`eq(customer_id, e5a0...)`); a bare value may hold commas (except in `in`), colons and `*`. What Elastic
Path does not document for orders (`is_null(...)`, OR groups `(a|b)`) is refused, as is anything else
that does not follow the grammar: `FilterError` says where and why.
"""

from __future__ import annotations

import re

import msgspec

OPERATORS = ("eq", "like", "in", "gt", "ge", "lt", "le")
MAX_CLAUSES = 10
MAX_LENGTH = 8 * 1024
_WORD = re.compile(r"[A-Za-z_]+")
_FIELD = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*")
_BARE_SAFE = re.compile(r"[^\s\",():\\][^,():\\]*(?<=[^\s])")


class Clause(msgspec.Struct, frozen=True):
    """`op(field,values...)`; `values` has exactly one element unless `op` is `in`."""

    op: str
    field: str
    values: tuple[str, ...]


class FilterError(ValueError):
    """The filter does not follow the grammar; `reason` says what was wrong, for people."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Scanner:
    def __init__(self, text: str, quoted: bool) -> None:
        self.text = text
        self.pos = 0
        self.quoted = quoted

    def fail(self, what: str) -> FilterError:
        return FilterError(f"{what} at position {self.pos + 1}")

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def expect(self, char: str) -> None:
        if self.peek() != char:
            found = repr(self.peek()) if self.peek() else "the end"
            raise self.fail(f"expected {char!r} but found {found}")
        self.pos += 1

    def operator(self) -> str:
        self.skip_space()
        if self.peek() == "(":
            raise self.fail("OR groups `(...|...)` are not supported for orders")
        match = _WORD.match(self.text, self.pos)
        if match is None:
            raise self.fail("expected an operator (eq, like, in, gt, ge, lt, le)")
        word = match.group()
        if word not in OPERATORS:
            hint = " (is_null is not supported for orders)" if word == "is_null" else ""
            raise self.fail(f"unknown operator {word!r}{hint}")
        self.pos = match.end()
        return word

    def field(self) -> str:
        end = self.pos
        while end < len(self.text) and self.text[end] not in ",)":
            end += 1
        name = self.text[self.pos : end].strip()
        if _FIELD.fullmatch(name) is None:
            raise self.fail(f"expected an attribute name but found {name!r}" if name else "missing attribute")
        self.pos = end
        self.expect(",")
        return name

    def quoted_value(self) -> str:
        self.pos += 1  # the opening quote
        chars: list[str] = []
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\" and self.pos + 1 < len(self.text):
                chars.append(self.text[self.pos + 1])
                self.pos += 2
            elif char == '"':
                self.pos += 1
                self.skip_space()
                return "".join(chars)
            else:
                chars.append(char)
                self.pos += 1
        raise self.fail("unterminated quoted value")

    def bare_value(self, stops: str) -> str:
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in stops:
            self.pos += 1
        value = self.text[start : self.pos].strip()
        if not value:
            self.pos = start
            raise self.fail("missing value")
        return value

    def values(self, op: str) -> tuple[str, ...]:
        found: list[str] = []
        while True:
            self.skip_space()
            if self.quoted and self.peek() == '"':
                found.append(self.quoted_value())
            else:
                found.append(self.bare_value(",)" if op == "in" else ")"))
            if self.peek() == "," and op == "in":
                self.pos += 1
                continue
            self.expect(")")
            return tuple(found)

    def clause(self) -> Clause:
        op = self.operator()
        self.skip_space()
        self.expect("(")
        name = self.field()
        return Clause(op, name, self.values(op))


def parse_filter(text: str, *, quoted: bool = True) -> tuple[Clause, ...]:
    """The clauses of `text` (already URL-decoded), in order. An empty or blank filter has none.

    `quoted=False` reads `"` as an ordinary character (the `EP-Disable-Beta-Filtering` header).
    """
    if "\x00" in text:
        raise FilterError("the filter must not contain NUL characters")
    if len(text.encode("utf-8")) > MAX_LENGTH:
        raise FilterError(f"the filter is longer than {MAX_LENGTH} bytes")
    if not text.strip():
        return ()
    scanner = _Scanner(text, quoted)
    clauses: list[Clause] = []
    while True:
        clauses.append(scanner.clause())
        if len(clauses) > MAX_CLAUSES:
            raise FilterError(f"at most {MAX_CLAUSES} filters may be combined")
        scanner.skip_space()
        if scanner.pos == len(text):
            return tuple(clauses)
        scanner.expect(":")


def _format_value(value: str, op: str) -> str:
    if _BARE_SAFE.fullmatch(value) is not None and not (op == "in" and "," in value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def format_filter(clauses: tuple[Clause, ...] | list[Clause]) -> str:
    """The text of `clauses`, the inverse of `parse_filter`: values are quoted only where they must be."""
    return ":".join(
        f"{c.op}({c.field},{','.join(_format_value(v, c.op) for v in c.values)})" for c in clauses
    )
