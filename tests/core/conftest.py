# Mail and documents are tried through the reports' journey: the reports' fixtures.
from tests.reporting.conftest import cycle_2019, mon_filled, mon_report  # noqa: F401
