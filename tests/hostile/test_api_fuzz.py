"""Fuzzing with schemathesis against the app's own OpenAPI description, over a real uvicorn and
the hostile archive (tests/hostile/archive.py) in a real PostgreSQL.

Every GET operation is fuzzed — valid and invalid parameters alike — and none may answer 5xx.
The JSON API (`/api/…`, `/claims/{id}.json`) must also keep its word: every status code and
content type it answers is one it declares, and every body matches its declared schema. (The
HTML pages describe themselves as JSON in the schema FastAPI derives; the form tests in
test_web.py hold them to their own rules instead.) POST operations need a CSRF token the
schema cannot describe; test_web.py fills their forms with the corpus.

Bounded: a few dozen examples per operation, about 30–60 s in all.
"""

from collections.abc import Iterator

import pytest
import requests
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import CheckContext, not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.transport import Response
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from app.main import create_app
from app.settings import Settings
from tests.live import serving

API = ("/api/", ".json")
"""Paths whose responses are JSON the schema describes."""
EXAMPLES = {"api": 60, "page": 12}
CONFORMANCE = [
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture(scope="module")
def base_url(hostile_url: str) -> Iterator[str]:
    app: FastAPI = create_app(Settings(DATABASE_URL=hostile_url))
    with serving(app) as url:
        yield url


def operations(base_url: str) -> list[APIOperation]:
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    return [
        op
        for op in (result.ok() for result in schema.get_all_operations())
        if op.method.upper() == "GET"
    ]


def no_server_error(ctx: CheckContext, response: Response, case: schemathesis.Case) -> None:
    """No 5xx, but oEmbed's own rule: 501 for a format the provider does not serve (oembed.com,
    2.3.5)."""
    if case.operation.path == "/oembed" and response.status_code == 501:
        assert case.query and "format" in case.query, "501 without a format asked for"
        return
    not_a_server_error(ctx, response, case)


def is_api(operation: APIOperation) -> bool:
    return operation.path.startswith(API[0]) or operation.path.endswith(API[1])


def fuzz(operation: APIOperation, base_url: str, http: requests.Session) -> None:
    """Raise on the first response that breaks a check, after hypothesis has shrunk it."""
    api = is_api(operation)
    checks = [no_server_error, *(CONFORMANCE if api else [])]

    @settings(
        max_examples=EXAMPLES["api" if api else "page"],
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def one(case: schemathesis.Case) -> None:
        case.call_and_validate(base_url=base_url, session=http, checks=checks)

    one()


def test_every_get_operation_survives_fuzzing(base_url: str) -> None:
    found = operations(base_url)
    assert sum(is_api(op) for op in found) >= 3, "the JSON API is not in the schema"
    problems = []
    with requests.Session() as http:
        for operation in found:
            try:
                fuzz(operation, base_url, http)
            except (AssertionError, FailureGroup) as failure:
                problems.append(f"{operation.label}: {str(failure)[:1500]}")
    assert not problems, "\n\n".join(problems)
