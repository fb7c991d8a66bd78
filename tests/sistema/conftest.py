"""Fixtures of the tests that start real processes."""

import pytest

from tests.terminal import cerrar_los_abiertos


@pytest.fixture(autouse=True)
def sin_procesos_colgados():
    """A failed test must not leave its terminal's process, or a live screen, behind."""
    yield
    cerrar_los_abiertos()
