"""Creates what template.yaml declares (tables, user pool and groups, event bus) in an AWS endpoint that
has no CloudFormation: moto, in the tests and in `make run`.

Names are local; everything else (keys, indexes, TTL, pool policies, client auth flows, the notifier's
event pattern) is read from the template.
"""

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import boto3

from infra import template
from infra.template import Resolver

REGION = "us-east-1"
SENDER_EMAIL = "intake@practice.example"
NOTIFICATION_EMAIL = "team@practice.example"
PRACTICE_NAME = "Riverbend Counseling Collective"


@dataclass(frozen=True)
class LocalStack:
    endpoint_url: str | None
    table_name: str
    idempotency_table_name: str
    user_pool_id: str
    user_pool_client_id: str
    event_bus_name: str
    notifier_queue_url: str
    base_url: str
    # Template parameters set as a practice would set them at deploy time (BookingPolicy=client-first, ...);
    # the others keep their defaults.
    parameters: Mapping[str, str] = field(default_factory=dict)

    def resolver(self) -> Resolver:
        return Resolver(
            refs={
                **self.parameters,
                "Table": self.table_name,
                "IdempotencyTable": self.idempotency_table_name,
                "UserPool": self.user_pool_id,
                "UserPoolClient": self.user_pool_client_id,
                "IntakeEventBus": self.event_bus_name,
                "PracticeName": PRACTICE_NAME,
                "SenderEmail": SENDER_EMAIL,
                "IntakeNotificationEmail": NOTIFICATION_EMAIL,
                "Api": "local",
                "DataKey": "local-key",
            },
            attributes={
                "DataKey.Arn": f"arn:aws:kms:{REGION}:123456789012:key/local",
                "UserPool.Arn": f"arn:aws:cognito-idp:{REGION}:123456789012:userpool/{self.user_pool_id}",
            },
        )

    def function_environment(self, function: str) -> dict[str, str]:
        """The function's environment from the template, pointed at the local endpoint and pages."""
        env = template.function_environment(function, self.resolver())
        if "CONSOLE_URL" in env:
            env["CONSOLE_URL"] = f"{self.base_url}/console"
        if "SITE_URL" in env:
            env["SITE_URL"] = f"{self.base_url}/"
        if "COGNITO_ENDPOINT" in env and self.endpoint_url:
            env["COGNITO_ENDPOINT"] = f"{self.endpoint_url}/"
        if os.environ.get("LOCAL_LOG_LEVEL"):  # e.g. DEBUG while developing, WARNING for make bench
            env["POWERTOOLS_LOG_LEVEL"] = os.environ["LOCAL_LOG_LEVEL"]
        return env

    def client(self, service: str) -> Any:
        return boto3.client(service, region_name=REGION, endpoint_url=self.endpoint_url)


def _props(kind: str) -> dict[str, Any]:
    (props,) = (r["Properties"] for r in template.resources(kind).values())
    return dict(props)


def provision(
    endpoint_url: str | None = None,
    base_url: str = "http://127.0.0.1:3000",
    prefix: str = "local",
    parameters: Mapping[str, str] | None = None,
) -> LocalStack:
    def client(service: str) -> Any:
        return boto3.client(service, region_name=REGION, endpoint_url=endpoint_url)

    dynamodb = client("dynamodb")
    names = {"Table": f"{prefix}-table", "IdempotencyTable": f"{prefix}-idempotency"}
    resolver = Resolver(refs=names)
    for logical_id, definition in template.table_definitions(resolver).items():
        dynamodb.create_table(**definition["create"])
        ttl = definition["ttl"]
        if ttl:
            dynamodb.update_time_to_live(
                TableName=names[logical_id],
                TimeToLiveSpecification={"AttributeName": ttl["AttributeName"], "Enabled": ttl["Enabled"]},
            )
        recovery = definition["point_in_time_recovery"]
        if recovery:
            dynamodb.update_continuous_backups(
                TableName=names[logical_id],
                PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": recovery["PointInTimeRecoveryEnabled"]},
            )

    cognito = client("cognito-idp")
    pool = _props("AWS::Cognito::UserPool")
    pool_args = {
        k: v
        for k, v in pool.items()
        if k
        in {
            "Policies",
            "AutoVerifiedAttributes",
            "UsernameAttributes",
            "MfaConfiguration",
            "AdminCreateUserConfig",
            "AccountRecoverySetting",
            "DeletionProtection",
        }
    }
    pool_id = cognito.create_user_pool(PoolName=f"{prefix}-staff", **pool_args)["UserPool"]["Id"]
    app_client = _props("AWS::Cognito::UserPoolClient")
    client_args = {
        k: v
        for k, v in app_client.items()
        if k
        in {
            "ClientName",
            "GenerateSecret",
            "ExplicitAuthFlows",
            "PreventUserExistenceErrors",
            "EnableTokenRevocation",
            "IdTokenValidity",
            "AccessTokenValidity",
            "RefreshTokenValidity",
            "TokenValidityUnits",
        }
    }
    client_id = cognito.create_user_pool_client(UserPoolId=pool_id, **client_args)["UserPoolClient"]["ClientId"]
    for group in template.resources("AWS::Cognito::UserPoolGroup").values():
        props = group["Properties"]
        cognito.create_group(UserPoolId=pool_id, GroupName=props["GroupName"], Description=props.get("Description", ""))

    # The notifier's EventBridge rule, from its function event; moto matches the pattern and delivers to a
    # queue that the local stack drains into the notifier (standing in for EventBridge invoking Lambda).
    events = client("events")
    bus = f"{prefix}-intake"
    events.create_event_bus(Name=bus)
    sqs = client("sqs")
    queue_url = sqs.create_queue(QueueName=f"{prefix}-notifier")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    notifier = template.resources("AWS::Serverless::Function")["NotifierFunction"]["Properties"]
    (rule,) = (e["Properties"] for e in notifier["Events"].values() if e["Type"] == "EventBridgeRule")
    events.put_rule(Name=f"{prefix}-notifier", EventBusName=bus, EventPattern=json.dumps(rule["Pattern"]))
    events.put_targets(Rule=f"{prefix}-notifier", EventBusName=bus, Targets=[{"Id": "notifier", "Arn": queue_arn}])

    client("ses").verify_email_identity(EmailAddress=SENDER_EMAIL)

    return LocalStack(
        endpoint_url=endpoint_url,
        table_name=names["Table"],
        idempotency_table_name=names["IdempotencyTable"],
        user_pool_id=pool_id,
        user_pool_client_id=client_id,
        event_bus_name=bus,
        notifier_queue_url=queue_url,
        base_url=base_url,
        parameters=dict(parameters or {}),
    )
