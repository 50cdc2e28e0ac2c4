"""sitebuild/console.py: what a build prints. Unit tests: no site build."""

import logging

import pytest
from pelican.log import LimitFilter

from sitebuild.console import start_logging


@pytest.fixture
def logging_as_a_build(monkeypatch):
    monkeypatch.setattr(LimitFilter, "LOGS_DEDUP_MIN_LEVEL", LimitFilter.LOGS_DEDUP_MIN_LEVEL)
    start_logging(quiet=True)


def test_a_warning_seen_in_an_earlier_build_of_the_process_is_shown_again(logging_as_a_build, caplog):
    """The live preview builds many times in one process; each build shows all its warnings."""
    pelicans = logging.getLogger("pelican.generators")  # de-duplicated by Pelican by default
    for _build in range(2):
        pelicans.warning("test_console: the same problem in build after build")
    shown = [r for r in caplog.records if r.getMessage().startswith("test_console: the same problem")]
    assert len(shown) == 2
