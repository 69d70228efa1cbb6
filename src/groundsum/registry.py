"""Name → factory registries that other packages extend through entry points, as ``llm`` and
datasette plugins do.

Each registry has an entry-point group (``groundsum.readers``, ``groundsum.engines``,
``groundsum.renderers``, ``groundsum.verify_signals``). An entry point names either a module, whose
``@registry.register("name")`` decorators run when it is imported, or an object, which is
registered under the entry point's name.

The built-ins take the same path: every module of the registry's package becomes an entry point
without a distribution, loaded, checked and recorded like an installed one. They are found by
scanning the package rather than declared in pyproject.toml because entry-point metadata is written
only at install time: a declared built-in added to a checkout or an editable install would stay
invisible until the next reinstall, and adding a reader would no longer be adding one file.

Discovery fails loudly and whole. An entry point that fails to load is a one-line ConfigError
naming it, its distribution and the exception; a name registered twice is a ConfigError naming
both sources. The table is built aside and swapped in only once complete, so a failure never
leaves a half-filled registry. Modules import heavy dependencies inside their functions, so that
discovery stays cheap.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from types import ModuleType
from typing import Generic, TypeVar

from .errors import ConfigError

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a registered name comes from: the module that registered it, and its distribution."""

    module: str
    distribution: str | None = None  # None: built into groundsum
    version: str | None = None

    def __str__(self) -> str:
        if self.distribution is None:
            return f"built-in ({self.module})"
        return f"{self.distribution} {self.version} ({self.module})"


class Registry(Generic[T]):
    def __init__(self, kind: str, package: str, entry_point_group: str) -> None:
        self.kind = kind
        self.group = entry_point_group
        self._package = package
        self._registered: list[tuple[str, T, str]] = []  # (name, item, registering module), in order
        self._distributions: dict[str, tuple[str, str]] | None = None  # top-level package → (name, version)
        self._table: dict[str, tuple[T, Origin]] = {}
        self._table_size = -1  # how many registrations the table holds; -1 before the first build
        self._lock = threading.RLock()

    def register(self, name: str) -> Callable[[T], T]:
        module = _registering_module()

        def decorate(item: T) -> T:
            self._registered.append((name, item, module))
            return item

        return decorate

    def _sources(self) -> list[EntryPoint]:
        """The built-in modules as entry points, then the installed entry points of the group."""
        package = importlib.import_module(self._package)
        builtin = [
            EntryPoint(module.name, f"{self._package}.{module.name}", self.group)
            for module in pkgutil.iter_modules(package.__path__)
        ]
        return builtin + sorted(entry_points(group=self.group), key=lambda entry: (entry.name, entry.value))

    def _load(self) -> dict[str, tuple[str, str]]:
        """Load every source; return the distribution of each top-level package an entry point comes from."""
        distributions = {}
        for entry in self._sources():
            dist = entry.dist
            where = "groundsum (built-in)" if dist is None else f"distribution {dist.name} {dist.version}"
            try:
                loaded = entry.load()
            except Exception as exc:  # any failure of third-party code at import time
                detail = " ".join(str(exc).split())
                raise ConfigError(
                    f"{self.kind} plugin '{entry.name} = {entry.value}' ({self.group}, {where}) failed to load: "
                    f"{type(exc).__name__}: {detail}"
                ) from exc
            if not isinstance(loaded, ModuleType):
                self._registered.append((entry.name, loaded, entry.module))
            if dist is not None:
                distributions[entry.module.partition(".")[0]] = (dist.name, dist.version)
        return distributions

    def _entries(self) -> dict[str, tuple[T, Origin]]:
        with self._lock:
            if self._distributions is None:
                self._distributions = self._load()
            if self._table_size != len(self._registered):
                table: dict[str, tuple[T, Origin]] = {}
                for name, item, module in self._registered:
                    origin = Origin(module, *self._distributions.get(module.partition(".")[0], (None, None)))
                    if name in table and table[name][0] is not item:
                        raise ConfigError(
                            f"{self.kind} '{name}' is registered twice: by {table[name][1]} and by {origin}"
                        )
                    table.setdefault(name, (item, origin))
                self._table, self._table_size = table, len(self._registered)
            return self._table

    def get(self, name: str) -> T:
        entries = self._entries()
        if name not in entries:
            raise ConfigError(f"unknown {self.kind} '{name}' (known: {', '.join(sorted(entries))})")
        return entries[name][0]

    def names(self) -> list[str]:
        return sorted(self._entries())

    def items(self) -> list[tuple[str, T]]:
        return [(name, item) for name, (item, _) in sorted(self._entries().items())]

    def origins(self) -> list[tuple[str, Origin]]:
        return [(name, origin) for name, (_, origin) in sorted(self._entries().items())]


def _registering_module() -> str:
    """The module whose top-level code is registering: helpers such as ``@signal`` sit in between."""
    frame = sys._getframe(2)
    while frame.f_back is not None and frame.f_code.co_name != "<module>":
        frame = frame.f_back
    return str(frame.f_globals.get("__name__", "?"))
