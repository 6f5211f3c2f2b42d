"""Makes intake submission idempotent on the client's Idempotency-Key header (powertools Idempotency).

The record is keyed on the header alone, and it remembers a hash of the answers: the same key with the
same answers returns the first response (one intake, however often the client retries); the same key
with different answers is refused. Records hold the response (the reference and the status token), so
they are client data: encrypted with the table's key and expiring with the intake retention period.
"""

import hashlib
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyValidationError,
)
from aws_lambda_powertools.utilities.idempotency.serialization.pydantic import PydanticSerializer
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel

from shared.domain.errors import IdempotencyKeyReused, RequestInProgress
from shared.domain.intake import IntakeAnswers


class IdempotentRequest(BaseModel):
    idempotency_key: str
    answers_hash: str
    answers: IntakeAnswers


def answers_hash(answers: IntakeAnswers) -> str:
    return hashlib.sha256(answers.model_dump_json().encode()).hexdigest()


class IdempotentSubmission[R: BaseModel]:
    def __init__(
        self,
        table_name: str,
        expires_after_seconds: int,
        submit: Callable[[IntakeAnswers], R],
        response_type: type[R],
        client: Any | None = None,
    ) -> None:
        self.config = IdempotencyConfig(
            event_key_jmespath="idempotency_key",
            payload_validation_jmespath="answers_hash",
            raise_on_no_idempotency_key=True,
            expires_after_seconds=expires_after_seconds,
        )
        persistence = DynamoDBPersistenceLayer(table_name=table_name, boto3_client=client)

        def submit_once(request: IdempotentRequest) -> R:
            return submit(request.answers)

        submit_once.__annotations__["return"] = response_type  # the serializer reads the return type
        self._submit = idempotent_function(
            submit_once,
            data_keyword_argument="request",
            persistence_store=persistence,
            config=self.config,
            output_serializer=PydanticSerializer,
        )

    def __call__(self, answers: IntakeAnswers, idempotency_key: str, context: LambdaContext | None) -> R:
        if context is not None:
            self.config.register_lambda_context(context)
        request = IdempotentRequest(
            idempotency_key=idempotency_key, answers_hash=answers_hash(answers), answers=answers
        )
        try:
            result: R = self._submit(request=request)
        except IdempotencyValidationError as error:
            raise IdempotencyKeyReused() from error
        except IdempotencyAlreadyInProgressError as error:
            raise RequestInProgress() from error
        return result
