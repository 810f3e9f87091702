"""The hostile archive, for the tests in this folder."""

from collections.abc import Iterator

import pytest

from tests.hostile.archive import load_hostile_archive


@pytest.fixture(scope="module")
def hostile_url(
    pg_admin_url: str, template_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A database of the module's own holding the seeds and one article per payload."""
    from tests.conftest import _copy_of_template

    for url in _copy_of_template(pg_admin_url, template_database_url):
        load_hostile_archive(url, tmp_path_factory.mktemp("hostile"))
        yield url
