"""The one table ``bench/run`` prints, as aligned text and as Markdown."""

from __future__ import annotations

from collections.abc import Sequence

from bench.lib.results import Check, Row, format_quantity, format_requests

HEADERS = (
    "case",
    "size",
    "wall",
    "CPU",
    "peak MB",
    "requests",
    "floor / limit",
    "ratio",
    "goal",
    "verdict",
    "note",
)


def table_rows(rows: Sequence[Row]) -> list[tuple[str, ...]]:
    lines: list[tuple[str, ...]] = []
    for row in rows:
        m = row.measurement
        measured = (
            (
                format_quantity(m.wall_s, "s"),
                format_quantity(m.cpu_s, "s"),
                f"{m.peak_mb:.0f}",
                format_requests(m.requests),
            )
            if m is not None
            else ("-", "-", "-", "-")
        )
        if row.crashed is not None:
            lines.append((row.case, row.size, *measured, "-", "-", "-", "CRASHED", row.crashed))
            continue
        checks: list[Check | None] = [*row.checks] or [None]
        for index, check in enumerate(checks):
            first = index == 0
            head = (row.case, row.size, *measured) if first else ("", "", "", "", "", "")
            note = row.note if first else ""
            if check is None:
                lines.append((*head, "-", "-", "-", "info", note))
            else:
                lines.append(
                    (
                        *head,
                        check.describe_floor(),
                        f"{check.ratio:.2f}",
                        f"<= {check.goal:g}",
                        check.verdict,
                        note,
                    )
                )
    return lines


def render_text(rows: Sequence[Row]) -> str:
    body = table_rows(rows)
    widths = [max(len(cell) for cell in column) for column in zip(HEADERS, *body, strict=False)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.ljust(width) for cell, width in zip(cells, widths, strict=True)
        ).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(HEADERS), rule, *(line(cells) for cells in body)])


def render_markdown(rows: Sequence[Row]) -> str:
    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    out = [line(HEADERS), line(["---"] * len(HEADERS))]
    out += [line(cells) for cells in table_rows(rows)]
    return "\n".join(out)
