from tests.integration.conftest import api, aws, repository, roster  # noqa: F401 - the same fixtures
