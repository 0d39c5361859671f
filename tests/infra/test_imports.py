"""No import inside a function hides an import cycle. The import contracts (pyproject, `make lint`)
keep the layering between packages; this checks the modules themselves, counting every import
statement wherever it stands (grimp reads those in function bodies too): were each function-level
import moved to the top of its module, no module would import itself through others. So a lazy
import is there for start-up time or the Lambda's size, never to break a cycle."""

from __future__ import annotations

import grimp


def module_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected groups of two or more modules (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return cycles


def test_no_module_imports_itself_through_others_counting_imports_inside_functions():
    graph = grimp.build_graph("codedesk")
    # grimp counts imports inside functions: the lazy one that brings the payer sheets into a denial
    # explanation is in the graph
    assert graph.direct_import_exists(importer="codedesk.denials.api", imported="codedesk.payers.service")
    assert module_cycles(graph) == []


def test_a_cycle_through_a_function_level_import_is_caught():
    graph = grimp.build_graph("codedesk")
    # as if codedesk/store/port.py (which the quizzes service imports) imported it back inside a function
    graph.add_import(importer="codedesk.store.port", imported="codedesk.quizzes.service")
    assert any("codedesk.store.port" in cycle and "codedesk.quizzes.service" in cycle for cycle in module_cycles(graph))
