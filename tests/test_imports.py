"""The package's layering, read from its imports (every ``import`` in server/**/*.py, at the top of
a module or inside a function): the JSON API, the web view and the CLI never import one another;
infrastructure and the shared edge import no face; services and models import no face and no
Flask; models import no services; and no two modules import each other, however indirectly."""

import ast

from tests.paths import REPO as ROOT

SERVER = ROOT / "server"
FACES = ("server.api", "server.web", "server.cli")
#: What runs under both faces: the app's plumbing, and what the two HTTP faces share.
INFRASTRUCTURE = ("server.config", "server.db", "server.errors", "server.paths", "server.health",
                  "server.ratelimit", "server.request_body", "server.migrating", "server.edge")
CORE = ("server.services", "server.models")
#: Web frameworks the core stays free of (it runs in the CLI, the importers and tests alike).
FLASK = ("flask", "flask_login", "flask_smorest", "flask_wtf", "flask_limiter")


def module_name(path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imports_of(path) -> set[str]:
    """The modules a file imports: ``from . import x`` names the module x when there is one."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if is_module(f"{base}.{alias.name}") else base)
    return found


def import_graph() -> dict[str, set[str]]:
    return {module_name(path): imports_of(path) for path in sorted(SERVER.rglob("*.py"))}


def within(name: str, prefixes) -> str | None:
    return next((prefix for prefix in prefixes if name == prefix or name.startswith(prefix + ".")), None)


def forbidden(importer: str, imported: str) -> str | None:
    """Why ``importer`` may not import ``imported``, or None when it may."""
    face, other = within(importer, FACES), within(imported, FACES)
    if face and other and face != other:
        return f"a face imports another face ({other})"
    if within(importer, INFRASTRUCTURE) and other:
        return f"infrastructure imports a face ({other})"
    if within(importer, CORE):
        if other or within(imported, ("server.edge",)):
            return "the core imports an HTTP face or its edge"
        if within(imported, FLASK):
            return f"the core imports a web framework ({imported})"
    if within(importer, ("server.models",)) and within(imported, ("server.services",)):
        return "a model imports a service"
    return None


def violations(graph: dict[str, set[str]]) -> list[str]:
    return sorted(f"{importer} imports {imported}: {why}" for importer, imported_ in graph.items()
                  for imported in imported_ if (why := forbidden(importer, imported)))


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import one another (Tarjan's strongly connected components)."""
    inner = {name: sorted(edge for edge in edges if edge in graph) for name, edges in graph.items()}
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(name):
        index[name] = low[name] = len(index)
        stack.append(name)
        on_stack.add(name)
        for edge in inner[name]:
            if edge not in index:
                visit(edge)
                low[name] = min(low[name], low[edge])
            elif edge in on_stack:
                low[name] = min(low[name], index[edge])
        if low[name] == index[name]:
            group = []
            while not group or group[-1] != name:
                group.append(stack.pop())
                on_stack.discard(group[-1])
            if len(group) > 1 or name in inner[name]:
                found.append(sorted(group))

    for name in sorted(inner):
        if name not in index:
            visit(name)
    return found


def test_no_module_imports_what_its_layer_may_not():
    assert violations(import_graph()) == []


def test_no_modules_import_each_other():
    assert cycles(import_graph()) == []


def test_the_rules_catch_what_they_forbid():
    """The checks themselves, on a made-up graph: each kind of forbidden import, and a cycle."""
    graph = {
        "server.web.search": {"server.api.schemas", "server.services.search"},
        "server.api.errors": {"server.web.blueprint"},
        "server.ratelimit": {"server.api.errors"},
        "server.services.pages": {"flask", "server.services.snapshots"},
        "server.services.snapshots": {"server.services.pages"},
        "server.models.page": {"server.services.urlkeys"},
        "server.edge.fields": {"server.web.errors"},
    }
    assert len(violations(graph)) == 6
    assert cycles(graph) == [["server.services.pages", "server.services.snapshots"]]


def test_the_graph_sees_the_package():
    graph = import_graph()
    assert "server.services.highlights" in graph["server.api.highlights"]
    assert "server.web.auth" in graph["server"]  # `from .web import auth as web_auth`
