"""Spreadsheets and documents for the Government and for analysts (being written)."""


def summary_xlsx(summary) -> bytes:
    raise NotImplementedError


def summary_docx(summary) -> bytes:
    raise NotImplementedError


def cycle_entries_xlsx(cycle) -> bytes:
    raise NotImplementedError
