"""Imports flow one way: read → segment → summarize → verify → render, with the pipeline on top.

The graph is read from the source with ``ast``: every ``import`` and ``from ... import`` statement,
at module level or inside a function (a lazy import is an edge all the same), relative ones
resolved. Importing ``a.b.c`` also runs ``a/__init__`` and ``a/b/__init__``, so it is an edge to each,
except to the importer's own parent packages: Python has run those before the importer, so only an
explicit import of one (``from .. import x``) counts. Imports under ``if TYPE_CHECKING:`` never
run, so they are no edges (the verify signals name ``features.Claim`` that way).
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = "groundsum"


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node of the tree but those under ``if TYPE_CHECKING:``."""
    nodes, pending = [], [tree]
    while pending:
        node = pending.pop()
        nodes.append(node)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            pending += node.orelse
        else:
            pending += ast.iter_child_nodes(node)
    return nodes


@cache
def graph() -> dict[str, set[str]]:
    """Each module of the package → the package modules it imports."""
    paths = {module_name(path): path for path in (SRC / PACKAGE).rglob("*.py")}
    edges: dict[str, set[str]] = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, *([base] if base else [])])
                targets.add(base)
                targets.update(f"{base}.{alias.name}" for alias in node.names)  # from pkg import module
        parents = {".".join(name.split(".")[:n]) for n in range(1, name.count(".") + 1)}
        found = {target for target in targets if target in paths}
        for target in targets:
            parts = target.split(".")
            found.update(".".join(parts[:n]) for n in range(1, len(parts)) if ".".join(parts[:n]) not in parents)
        edges[name] = {target for target in found if target in paths} - {name}
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component with more than one module (Tarjan), as a path."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    components: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(edges[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(component)

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return [path_within(edges, component) for component in components]


def path_within(edges: dict[str, set[str]], component: set[str]) -> list[str]:
    """A shortest cycle through the component's first module, for the failure message."""
    start = min(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(edges[node] & component):
            if target == start:
                return [*paths[node], start]
            if target not in paths:
                paths[target] = [*paths[node], target]
                queue.append(target)
    return sorted(component)


def imports_of(prefix: str) -> set[tuple[str, str]]:
    """(module, imported module) for every module at or under ``prefix``."""
    return {
        (module, target)
        for module, targets in graph().items()
        if module == prefix or module.startswith(prefix + ".")
        for target in targets
    }


def offending(prefix: str, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{module} imports {target}"
        for module, target in imports_of(f"{PACKAGE}.{prefix}")
        if any(target == f"{PACKAGE}.{f}" or target.startswith(f"{PACKAGE}.{f}.") for f in forbidden)
    )


def test_the_graph_sees_lazy_and_relative_imports() -> None:
    edges = graph()
    # from ..generative.engine
    assert "groundsum.summarize.generative.engine" in edges["groundsum.summarize.engines.llama_cpp"]
    assert "groundsum.summarize" in edges["groundsum.verify.judge"]  # from ..summarize import get_engine
    assert "groundsum.read.sniff" in edges["groundsum.read.formats.html"]


def test_no_import_cycles() -> None:
    found = cycles(graph())
    assert not found, "import cycles:\n" + "\n".join(" → ".join(cycle) for cycle in found)


def test_cycles_are_found_and_named() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(edges) == [["a", "b", "c", "a"]]


def test_read_imports_no_later_stage() -> None:
    assert not offending("read", ("segment", "summarize", "verify", "render", "pipeline"))


def test_segment_imports_no_later_stage() -> None:
    assert not offending("segment", ("summarize", "verify", "render", "pipeline"))


def test_summarize_imports_no_later_stage() -> None:
    """Generative engines get verify as a parameter of ``settle``."""
    assert not offending("summarize", ("verify", "render", "pipeline"))


def test_verify_imports_no_later_stage_nor_an_engine() -> None:
    """The judge builds an engine by name through the registry, and shares only ``summarize.prompts``."""
    assert not offending("verify", ("render", "pipeline", "summarize.engines", "summarize.generative"))


def test_render_imports_no_pipeline() -> None:
    assert not offending("render", ("pipeline",))


def test_tests_never_import_bench_nor_touch_sys_path() -> None:
    """What tests and benchmarks share lives in training/; bench/ is scripts, never a library."""
    tests = Path(__file__).parent
    found = []
    for path in sorted(tests.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            found += [f"{path.relative_to(tests)}: imports {name}" for name in names if name.split(".")[0] == "bench"]
            if isinstance(node, ast.Call) and ast.unparse(node.func).startswith("sys.path."):
                found.append(f"{path.relative_to(tests)}: {ast.unparse(node)}")
    assert found == []
