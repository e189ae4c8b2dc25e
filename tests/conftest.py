import pytest

from tests import factories


@pytest.fixture
def small(db):
    return factories.small_framework()
