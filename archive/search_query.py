"""The search query language, parsed into a safe FTS5 expression over folded words.

* words: ``bread salt`` (both must occur: AND is implied)
* phrases: ``"fresh bread"`` (also “…”, «…», „…“); prefixes: ``deport*`` (at least
  two letters)
* ``AND``, ``OR``, ``NOT`` (in capitals; NOT binds tightest, then AND, then OR, as in
  FTS5) and parentheses: ``(bread OR lavash) NOT market``

Anything else is taken as words, folded (see :mod:`archive.folding`) and quoted, so
no user input ever reaches FTS5's own syntax.  Unbalanced quotes or parentheses and
misplaced operators raise :class:`InvalidInputError` with a sentence saying what is
wrong.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .folding import fold_words
from .util import InvalidInputError

MAX_TERMS = 64
MIN_PREFIX = 2
_QUOTES = '"“”„«»'
_OPERATORS = ("AND", "OR", "NOT")


@dataclass(frozen=True)
class Term:
    """Folded words that must occur together (a phrase when more than one)."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class Op:
    op: str  # AND, OR, NOT
    left: Node
    right: Node


Node = Term | Op


@dataclass
class _Lexeme:
    kind: str  # word, phrase, (, ), AND, OR, NOT
    text: str = ""
    prefix: bool = False


def _lex(query: str) -> list[_Lexeme]:
    out: list[_Lexeme] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            out.append(_Lexeme(ch))
            i += 1
        elif ch in _QUOTES:
            j = next((k for k in range(i + 1, n) if query[k] in _QUOTES), -1)
            if j < 0:
                raise InvalidInputError(
                    "A quote mark is not closed. Put a phrase between two quote marks, "
                    'as in "fresh bread".'
                )
            prefix = query[j + 1 : j + 2] == "*"
            out.append(_Lexeme("phrase", query[i + 1 : j], prefix))
            i = j + 2 if prefix else j + 1
        else:
            j = i
            while j < n and not (query[j].isspace() or query[j] in "()" or query[j] in _QUOTES):
                j += 1
            chunk = query[i:j]
            if chunk in _OPERATORS:
                out.append(_Lexeme(chunk))
            else:
                out.append(_Lexeme("word", chunk))
            i = j
    return out


def _term(lexeme: _Lexeme) -> Term | None:
    text, prefix = lexeme.text, lexeme.prefix
    stripped = text.rstrip()
    if stripped.endswith("*"):
        prefix, text = True, stripped.rstrip("*")
    folded = tuple(fold_words(text))
    if not folded:
        if lexeme.kind == "phrase":
            raise InvalidInputError("There are no words between the quote marks.")
        if prefix:
            raise InvalidInputError("A * must follow the start of a word, as in deport*.")
        return None  # punctuation alone: nothing to look for
    if prefix and len(folded[-1]) < MIN_PREFIX:
        raise InvalidInputError(f"Type at least {MIN_PREFIX} letters before a *, as in deport*.")
    return Term(folded, prefix)


class _Parser:
    """Recursive descent: or := and (OR and)*; and := not ([AND] not)*;
    not := unary (NOT unary)*; unary := term | ( or )."""

    def __init__(self, lexemes: list[_Lexeme]) -> None:
        self.items: list[_Lexeme | Term] = []
        for lexeme in lexemes:
            if lexeme.kind in ("word", "phrase"):
                term = _term(lexeme)
                if term is not None:
                    self.items.append(term)
            else:
                self.items.append(lexeme)
        self.pos = 0
        self.terms = 0

    def parse(self) -> Node | None:
        if not self.items:
            return None
        node = self._or()
        if self.pos < len(self.items):
            item = self.items[self.pos]
            assert isinstance(item, _Lexeme) and item.kind == ")"
            raise InvalidInputError("A closing parenthesis has no opening one.")
        return node

    def _peek(self) -> str | None:
        if self.pos >= len(self.items):
            return None
        item = self.items[self.pos]
        return "term" if isinstance(item, Term) else item.kind

    def _or(self) -> Node:
        node = self._and()
        while self._peek() == "OR":
            self.pos += 1
            node = Op("OR", node, self._and(after="OR"))
        return node

    def _and(self, after: str | None = None) -> Node:
        node = self._not(after)
        while True:
            kind = self._peek()
            if kind == "AND":
                self.pos += 1
                node = Op("AND", node, self._not("AND"))
            elif kind in ("term", "("):
                node = Op("AND", node, self._not(None))
            else:
                return node

    def _not(self, after: str | None) -> Node:
        node = self._unary(after)
        while self._peek() == "NOT":
            self.pos += 1
            node = Op("NOT", node, self._unary("NOT"))
        return node

    def _unary(self, after: str | None) -> Node:
        kind = self._peek()
        if kind == "term":
            item = self.items[self.pos]
            assert isinstance(item, Term)
            self.pos += 1
            self.terms += 1
            if self.terms > MAX_TERMS:
                raise InvalidInputError(f"A search can have at most {MAX_TERMS} words.")
            return item
        if kind == "(":
            self.pos += 1
            if self._peek() == ")":
                raise InvalidInputError("There is nothing between the parentheses.")
            node = self._or()
            if self._peek() != ")":
                raise InvalidInputError("A parenthesis is not closed.")
            self.pos += 1
            return node
        if kind == "NOT" and after is None:
            raise InvalidInputError(
                "NOT needs words before it: search for bread NOT market, not NOT market."
            )
        if kind in _OPERATORS:
            raise InvalidInputError(f"{after or kind} needs words on both sides.")
        if kind == ")":
            if after:
                raise InvalidInputError(f"{after} needs words on both sides.")
            raise InvalidInputError("A closing parenthesis has no opening one.")
        # End of the query.
        if after:
            raise InvalidInputError(f"{after} needs words on both sides.")
        raise InvalidInputError("The search ends too early.")


def parse_query(query: str) -> Node | None:
    """The query as a tree of folded terms; ``None`` when it holds no words."""
    return _Parser(_lex(query)).parse()


def to_fts(node: Node) -> str:
    """The FTS5 expression: every term quoted, every operation parenthesised."""
    if isinstance(node, Term):
        return '"' + " ".join(node.words) + '"' + (" *" if node.prefix else "")
    return f"({to_fts(node.left)} {node.op} {to_fts(node.right)})"


def positive_terms(node: Node) -> list[Term]:
    """Terms to highlight: all but those after a NOT."""
    if isinstance(node, Term):
        return [node]
    if node.op == "NOT":
        return positive_terms(node.left)
    return positive_terms(node.left) + positive_terms(node.right)


def all_terms(node: Node) -> Iterator[Term]:
    if isinstance(node, Term):
        yield node
    else:
        yield from all_terms(node.left)
        yield from all_terms(node.right)


def expand_places(node: Node, alternatives: dict[str, set[str]]) -> Node:
    """Replace a term that is a place's name by all the names of that place (OR)."""
    if isinstance(node, Op):
        return Op(
            node.op,
            expand_places(node.left, alternatives),
            expand_places(node.right, alternatives),
        )
    if node.prefix:
        return node
    names = alternatives.get(" ".join(node.words))
    if not names or len(names) < 2:
        return node
    ordered = sorted(names)
    result: Node = Term(tuple(ordered[0].split()))
    for name in ordered[1:]:
        result = Op("OR", result, Term(tuple(name.split())))
    return result
