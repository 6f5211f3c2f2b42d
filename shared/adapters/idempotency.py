"""Makes intake submission idempotent on the client's Idempotency-Key header (powertools Idempotency).

The record is keyed on the header alone, and it remembers a hash of the answers: the same key with the
same answers returns the first response (one intake, however often the client retries); the same key
with different answers is refused. Records hold the response (the reference and the status token), so
they are client data: encrypted with the table's key and expiring with the intake retention period.
"""

import hashlib
import json
from collections.abc import Callable
from typing import Any, NamedTuple

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyPersistenceLayerError,
    IdempotencyValidationError,
)
from aws_lambda_powertools.utilities.idempotency.serialization.pydantic import PydanticSerializer
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel

from shared.adapters import aws
from shared.domain.errors import IdempotencyKeyReused, RequestInProgress, StoreUnavailable
from shared.domain.intake import IntakeAnswers


class IdempotentRequest(BaseModel):
    idempotency_key: str
    answers_hash: str
    answers: IntakeAnswers


KEY_PREFIX = "intake-submission"


def answers_hash(answers: IntakeAnswers) -> str:
    return hashlib.sha256(answers.model_dump_json().encode()).hexdigest()


def record_id(idempotency_key: str) -> str:
    """The idempotency record's id for a key, as powertools derives it (MD5 of the JSON of the key, after the
    prefix), so erasing an intake can erase its record too. A test checks this against a stored record."""
    digest = hashlib.md5(json.dumps(idempotency_key, sort_keys=True).encode(), usedforsecurity=False).hexdigest()
    return f"{KEY_PREFIX}#{digest}"


class Once[R](NamedTuple):
    result: R
    first: bool  # False when the result is the one stored by an earlier request with the same key


class IdempotentSubmission[R: BaseModel]:
    """Wraps the submission use case (with its ports bound): it runs once per Idempotency-Key, and a retry
    gets the outcome it returned the first time."""

    def __init__(
        self,
        table_name: str,
        expires_after_seconds: int,
        use_case: Callable[[IntakeAnswers, str], R],
        outcome_type: type[R],
        client: Any | None = None,
    ) -> None:
        self.config = IdempotencyConfig(
            event_key_jmespath="idempotency_key",
            payload_validation_jmespath="answers_hash",
            raise_on_no_idempotency_key=True,
            expires_after_seconds=expires_after_seconds,
        )
        # The project's own client (one botocore session for every client in the function, one retry and
        # timeout policy): left to itself, powertools starts a second boto3 session, which loads the service
        # list, the endpoint rules and the DynamoDB model again on the first submission.
        persistence = DynamoDBPersistenceLayer(
            table_name=table_name, boto3_client=client if client is not None else aws.client("dynamodb")
        )
        self._ran = False  # one request at a time per execution environment

        def submit_once(request: IdempotentRequest) -> R:
            self._ran = True
            return use_case(request.answers, record_id(request.idempotency_key))

        submit_once.__annotations__["return"] = outcome_type  # the serializer reads the return type
        self._submit = idempotent_function(
            submit_once,
            data_keyword_argument="request",
            persistence_store=persistence,
            config=self.config,
            output_serializer=PydanticSerializer,
            key_prefix=KEY_PREFIX,
        )

    def __call__(self, answers: IntakeAnswers, idempotency_key: str, context: LambdaContext | None) -> Once[R]:
        if context is not None:
            self.config.register_lambda_context(context)
        request = IdempotentRequest(
            idempotency_key=idempotency_key, answers_hash=answers_hash(answers), answers=answers
        )
        self._ran = False
        try:
            result: R = self._submit(request=request)
        except IdempotencyValidationError as error:
            raise IdempotencyKeyReused() from error
        except IdempotencyAlreadyInProgressError as error:
            raise RequestInProgress() from error
        except IdempotencyPersistenceLayerError as error:  # the idempotency table is throttling or failing
            if isinstance(error.__cause__, StoreUnavailable):
                raise error.__cause__ from error
            raise StoreUnavailable() from error
        return Once(result, self._ran)
