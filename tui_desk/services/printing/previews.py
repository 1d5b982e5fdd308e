"""A job as text: the Afdrukvoorbeeld and the Printwachtrij's columns."""

from __future__ import annotations

from tui_desk.devices import escpos, evolis
from tui_desk.rules import dates
from tui_desk.services.printing.kinds import LEDENPAS, PDF, STATUS_LABELS, kind_label
from tui_desk.store.print_jobs import PrintJob


# -- previews --------------------------------------------------------------------------------
def preview_lines(job: PrintJob) -> list[str]:
    """The job as text: the receipt's lines, or a picture of the card with its fields."""
    if job.kind == LEDENPAS:
        fields = job.options.get("card")
        if isinstance(fields, dict):
            return evolis.preview_lines(evolis.CardFields.from_dict(fields))
        panel = evolis.panel_of(job.payload or b"")
        return evolis.bitmap_preview(panel) if panel else ["(geen voorbeeld)"]
    if job.options.get("format") == PDF:
        lines = job.options.get("preview")
        return [str(x) for x in lines] if isinstance(lines, list) else ["(pdf)"]
    columns = job.options.get("columns")
    try:
        return escpos.preview_lines(job.payload or b"", columns if isinstance(columns, int)
                                    else None)
    except ValueError as exc:
        return [f"(geen voorbeeld: {exc})"]


def preview_text(job: PrintJob) -> str:
    return "\n".join(preview_lines(job))


def describe(job: PrintJob) -> dict[str, str]:
    """The columns of the Printwachtrij for one job, as text."""
    return {
        "Tijd": f"{dates.show(job.created_at.date())} {job.created_at:%H:%M}",
        "Soort": kind_label(job.kind),
        "Klant": job.label,
        "Printer": job.printer,
        "Status": STATUS_LABELS.get(job.status, job.status),
        "Pogingen": str(job.tries),
        "Laatste fout": job.last_error,
    }
