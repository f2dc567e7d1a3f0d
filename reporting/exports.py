"""The reporting app's exports under the names DESIGN.md gives them; they are made in
reporting.summaries.exports (README, "Architecture")."""

from reporting.summaries.exports import cycle_entries_xlsx, summary_docx, summary_xlsx

__all__ = ["cycle_entries_xlsx", "summary_docx", "summary_xlsx"]
