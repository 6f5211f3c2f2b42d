"""template.yaml, read as data: encryption, backups, retention, limits and least privilege per function."""

from typing import Any

import pytest

from infra import template

RESOURCES = template.load()["Resources"]
FUNCTIONS = template.resources("AWS::Serverless::Function")


def statements(function: str) -> list[dict[str, Any]]:
    found = []
    for policy in FUNCTIONS[function]["Properties"].get("Policies", []):
        if isinstance(policy, dict) and "Statement" in policy:
            found.extend(policy["Statement"])
    return found


def actions(function: str, resource_hint: str | None = None) -> set[str]:
    out: set[str] = set()
    for statement in statements(function):
        resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        if resource_hint is None or any(resource_hint in str(r) for r in resources):
            out.update(statement["Action"])
    return out


def test_the_data_key_rotates_and_encrypts_tables_logs_and_environment() -> None:
    assert RESOURCES["DataKey"]["Properties"]["EnableKeyRotation"] is True
    for table in ("Table", "IdempotencyTable"):
        sse = RESOURCES[table]["Properties"]["SSESpecification"]
        assert sse == {"SSEEnabled": True, "SSEType": "KMS", "KMSMasterKeyId": {"Ref": "DataKey"}}
    for name, resource in RESOURCES.items():
        if resource["Type"] == "AWS::Logs::LogGroup":
            assert resource["Properties"]["KmsKeyId"] == {"Fn::GetAtt": ["DataKey", "Arn"]}, name
            assert resource["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}, name
    assert template.load()["Globals"]["Function"]["KmsKeyArn"] == {"Fn::GetAtt": ["DataKey", "Arn"]}


def test_tables_have_backups_deletion_protection_and_expiry() -> None:
    for table in ("Table", "IdempotencyTable"):
        props = RESOURCES[table]["Properties"]
        assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
        assert props["DeletionProtectionEnabled"] is True
        assert props["TimeToLiveSpecification"]["Enabled"] is True
        assert RESOURCES[table]["DeletionPolicy"] == "Retain"


def test_the_api_is_throttled_logs_no_bodies_and_functions_reserve_concurrency() -> None:
    api = RESOURCES["Api"]["Properties"]
    settings = {(m["ResourcePath"], m["HttpMethod"]): m for m in api["MethodSettings"]}
    assert settings[("/*", "*")]["ThrottlingRateLimit"] > 0
    assert settings[("/intakes", "POST")]["ThrottlingRateLimit"] <= settings[("/*", "*")]["ThrottlingRateLimit"]
    assert all(m["DataTraceEnabled"] is False for m in api["MethodSettings"])
    log_format = api["AccessLogSetting"]["Format"]
    for forbidden in ("$context.requestOverride", "body", "querystring", "$context.path", "authorizer.claims"):
        assert forbidden not in log_format
    for name in ("PublicApiFunction", "ReviewApiFunction", "AdminApiFunction", "ClientApiFunction"):
        assert "ReservedConcurrentExecutions" in FUNCTIONS[name]["Properties"], name


def test_no_function_has_wildcard_or_scan_permissions() -> None:
    for name in FUNCTIONS:
        for statement in statements(name):
            assert statement["Effect"] == "Allow"
            for action in statement["Action"]:
                assert "*" not in action, (name, action)
                assert action not in ("dynamodb:Scan", "dynamodb:BatchWriteItem", "dynamodb:PartiQLSelect"), (
                    name,
                    action,
                )


def test_every_table_statement_is_confined_to_its_key_prefixes() -> None:
    for name in FUNCTIONS:
        for statement in statements(name):
            if statement["Resource"] == {"Fn::GetAtt": ["Table", "Arn"]}:
                assert "dynamodb:LeadingKeys" in statement["Condition"]["ForAllValues:StringLike"], (
                    name,
                    statement["Sid"],
                )


def leading_keys(statement: dict[str, Any]) -> list[str]:
    return list(statement["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"])


def table_statements(function: str, action: str) -> list[dict[str, Any]]:
    return [
        s for s in statements(function) if action in s["Action"] and s["Resource"] == {"Fn::GetAtt": ["Table", "Arn"]}
    ]


def test_the_public_function_cannot_read_the_queue_change_an_intake_or_delete() -> None:
    table = actions("PublicApiFunction", "Table.Arn")
    assert table <= {
        "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:ConditionCheckItem", "dynamodb:Query", "dynamodb:UpdateItem",
    }  # fmt: skip
    assert "dynamodb:DeleteItem" not in table
    indexes = {
        str(r)
        for s in statements("PublicApiFunction")
        for r in (s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]])
    }
    assert not any("index/Queue" in r for r in indexes)
    (put,) = table_statements("PublicApiFunction", "dynamodb:PutItem")
    assert leading_keys(put) == ["INTAKE#*", "ROSTER", "OUTBOX#*"]  # new intakes and their confirmation email
    (update,) = table_statements("PublicApiFunction", "dynamodb:UpdateItem")
    # only the report's no-match counters and the confirmations-per-address counters: never an intake
    assert leading_keys(update) == ["STATS", "CONFIRMATIONS#*"]


def test_the_client_link_function_changes_intakes_but_cannot_read_the_queue_or_delete_but_a_waitlist_entry() -> None:
    # it deletes nothing but a waitlist entry (identifiers and times only): leaving, or claiming a held place
    for statement in table_statements("ClientApiFunction", "dynamodb:DeleteItem"):
        assert leading_keys(statement) == ["WAITLIST"]
    indexes = {
        str(r)
        for s in statements("ClientApiFunction")
        for r in (s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]])
    }
    assert not any("index/Queue" in r or "index/Outbox" in r for r in indexes)
    for statement in table_statements("ClientApiFunction", "dynamodb:UpdateItem"):
        assert "AUDIT#*" not in leading_keys(statement) and "OUTBOX#*" not in leading_keys(statement)
    for statement in table_statements("ClientApiFunction", "dynamodb:PutItem"):  # a booking's email and audit
        assert leading_keys(statement) in (
            ["INTAKE#*", "COUNSELOR#*", "ROSTER", "STATS"],
            ["OUTBOX#*", "AUDIT#*"],
            ["WAITLIST"],
        )


def test_staff_cannot_delete_and_only_admins_erase() -> None:
    assert "dynamodb:DeleteItem" not in actions("ReviewApiFunction")
    erase = [
        s
        for s in statements("AdminApiFunction")
        if "dynamodb:DeleteItem" in s["Action"] and s["Resource"] == {"Fn::GetAtt": ["Table", "Arn"]}
    ]
    # an intake and the emails still waiting for it (erasure leaves neither)
    assert [s["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"] for s in erase] == [
        ["INTAKE#*", "OUTBOX#*"]
    ]


def test_the_notifier_sends_email_reads_only_the_outbox_and_public_profiles_and_the_pages_nothing() -> None:
    assert actions("NotifierFunction") == {
        "ses:SendEmail", "ses:SendRawEmail", "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey",
        "dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
    }  # fmt: skip
    for statement in statements("NotifierFunction"):
        if statement["Resource"] != {"Fn::GetAtt": ["Table", "Arn"]}:
            continue
        keys = leading_keys(statement)
        if keys == ["COUNSELOR#*"]:  # a counselor's public profile, nothing else of theirs
            assert statement["Action"] == ["dynamodb:GetItem"]
            assert statement["Condition"]["ForAllValues:StringLike"]["dynamodb:Attributes"] == ["pp", "active"]
        else:
            assert keys == ["OUTBOX#*"], statement["Sid"]  # never an intake, the queue or the audit trail
    sqs_kms = next(
        s for s in statements("NotifierFunction") if s["Sid"] == "ParkFailedNotificationsInTheEncryptedQueue"
    )
    assert sqs_kms["Condition"]["StringEquals"]["kms:ViaService"] == {"Fn::Sub": "sqs.${AWS::Region}.amazonaws.com"}
    assert "Policies" not in FUNCTIONS["PagesFunction"]["Properties"]


def test_the_check_in_schedule_writes_only_check_ins_their_emails_and_its_own_entries() -> None:
    assert actions("CheckInScheduleFunction") == {
        "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey", "events:PutEvents",
        "dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem",
    }  # fmt: skip
    for statement in statements("CheckInScheduleFunction"):
        if statement["Resource"] != {"Fn::GetAtt": ["Table", "Arn"]}:
            continue
        keys = leading_keys(statement)
        if keys == ["COUNSELOR#*"]:
            assert statement["Action"] == ["dynamodb:GetItem"]
            assert statement["Condition"]["ForAllValues:StringLike"]["dynamodb:Attributes"] == ["pp", "active"]
        elif keys == ["OUTBOX#*"]:
            assert statement["Action"] == ["dynamodb:PutItem"]  # queues emails; never reads or clears the outbox
        else:
            assert keys == ["INTAKE#*"], statement["Sid"]  # never the queue, roster or audit
    schedule = FUNCTIONS["CheckInScheduleFunction"]["Properties"]["Events"]["SendDueCheckIns"]
    assert schedule["Type"] == "Schedule"


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_traces_never_carry_responses_or_errors(function: str) -> None:
    from infra.local.provision import LocalStack

    env = template.function_environment(function, LocalStack("", "t", "i", "p", "c", "b", "q", "").resolver())
    assert env.get("POWERTOOLS_TRACER_CAPTURE_RESPONSE") == "false"
    assert env.get("POWERTOOLS_TRACER_CAPTURE_ERROR") == "false"


def test_the_data_key_is_kept_like_the_tables_it_encrypts() -> None:
    # Deleting the stack keeps the tables and their backups; it must not schedule their key for deletion.
    for name in ("DataKey", "Table", "IdempotencyTable"):
        assert RESOURCES[name]["DeletionPolicy"] == "Retain", name
        assert RESOURCES[name]["UpdateReplacePolicy"] == "Retain", name


def _resolved_with_defaults() -> template.Resolver:
    return template.Resolver(refs={"Api": "api-id", "AWS::StackName": "stack"})


def test_a_web_acl_limits_each_ip_address_on_the_api_stage_by_default() -> None:
    from shared.api.errors import ErrorBody

    parameters = template.load()["Parameters"]
    assert parameters["ApiFirewall"]["Default"] == "true"
    assert _resolved_with_defaults().conditions["HasApiFirewall"] is True
    acl, association = RESOURCES["ApiWebAcl"], RESOURCES["ApiWebAclAssociation"]
    assert acl["Type"] == "AWS::WAFv2::WebACL"
    assert association["Type"] == "AWS::WAFv2::WebACLAssociation"
    assert acl["Condition"] == association["Condition"] == "HasApiFirewall"
    props = acl["Properties"]
    assert props["Scope"] == "REGIONAL"
    assert props["DefaultAction"] == {"Allow": {}}
    # the association names the API's own stage (SAM resolves Api.Stage to the stage it creates)
    assert association["Properties"]["WebACLArn"] == {"Fn::GetAtt": ["ApiWebAcl", "Arn"]}
    arn = association["Properties"]["ResourceArn"]["Fn::Sub"]
    assert arn.endswith("::/restapis/${Api}/stages/${Api.Stage}")

    rules = {rule["Name"]: rule for rule in props["Rules"]}
    limits = {"submissions-per-ip": "SubmissionsPerIpPerFiveMinutes", "requests-per-ip": "RequestsPerIpPerFiveMinutes"}
    for name, parameter in limits.items():
        rate = rules[name]["Statement"]["RateBasedStatement"]
        assert rate["AggregateKeyType"] == "IP"
        assert rate["Limit"] == {"Ref": parameter}
        assert 10 <= parameters[parameter]["MinValue"] <= parameters[parameter]["Default"]
        block = rules[name]["Action"]["Block"]["CustomResponse"]
        assert block["ResponseCode"] == 429
        body = props["CustomResponseBodies"][block["CustomResponseBodyKey"]]
        assert body["ContentType"] == "APPLICATION_JSON"
        assert ErrorBody.model_validate_json(body["Content"]).code == "throttled"
    # submissions have their own, lower limit: each one emails an address nobody has verified
    assert (
        parameters["SubmissionsPerIpPerFiveMinutes"]["Default"] < parameters["RequestsPerIpPerFiveMinutes"]["Default"]
    )
    matches = rules["submissions-per-ip"]["Statement"]["RateBasedStatement"]["ScopeDownStatement"]["AndStatement"]
    wanted = {(m["ByteMatchStatement"]["PositionalConstraint"], m["ByteMatchStatement"]["SearchString"])
              for m in matches["Statements"]}  # fmt: skip
    assert wanted == {("EXACTLY", "POST"), ("ENDS_WITH", "/intakes")}
    # sampled requests would keep headers (status-link and staff tokens) in the WAF console
    for visibility in [props["VisibilityConfig"], *(rule["VisibilityConfig"] for rule in props["Rules"])]:
        assert visibility["SampledRequestsEnabled"] is False


def test_the_web_acl_can_be_turned_off() -> None:
    off = template.Resolver(refs={"ApiFirewall": "false"})
    assert off.conditions["HasApiFirewall"] is False


def test_the_api_throttles_at_the_documented_rates() -> None:
    # docs/security.md, property 7: 25 requests a second with bursts of 50 on every route, 5 and 10 on submit
    settings = {(m["ResourcePath"], m["HttpMethod"]): m for m in RESOURCES["Api"]["Properties"]["MethodSettings"]}
    limits = {key: (m["ThrottlingRateLimit"], m["ThrottlingBurstLimit"]) for key, m in settings.items()}
    assert limits == {("/*", "*"): (25, 50), ("/intakes", "POST"): (5, 10)}


def test_the_dead_letter_queue_is_encrypted_with_the_data_key_and_refuses_plain_http() -> None:
    queue = RESOURCES["NotificationDeadLetterQueue"]["Properties"]
    assert queue["KmsMasterKeyId"] == {"Ref": "DataKey"}
    (policy,) = [r for r in RESOURCES.values() if r["Type"] == "AWS::SQS::QueuePolicy"]
    assert policy["Properties"]["Queues"] == [{"Ref": "NotificationDeadLetterQueue"}]
    denials = [s for s in policy["Properties"]["PolicyDocument"]["Statement"] if s["Effect"] == "Deny"]
    assert {
        "Sid": "TlsOnly",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "sqs:*",
        "Resource": {"Fn::GetAtt": ["NotificationDeadLetterQueue", "Arn"]},
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    } in denials


def test_every_address_the_template_builds_is_https() -> None:
    # API Gateway's REST endpoints answer HTTPS only; what the template adds (links in emails, the console and
    # site addresses, the Cognito endpoint, another allowed web origin) must not step down to plain HTTP
    def strings(node: Any) -> list[str]:
        if isinstance(node, str):
            return [node]
        if isinstance(node, dict):
            return [s for value in node.values() for s in strings(value)]
        if isinstance(node, list):
            return [s for value in node for s in strings(value)]
        return []

    loaded = template.load()
    addresses = [s for s in strings(loaded["Resources"]) + strings(loaded["Outputs"]) if "://" in s]
    assert addresses
    assert [a for a in addresses if not a.startswith("https://")] == []
    assert loaded["Parameters"]["AllowedWebOrigin"]["AllowedPattern"] == "^(none|https://[A-Za-z0-9.-]+(:[0-9]+)?)$"
    assert RESOURCES["Api"]["Properties"]["EndpointConfiguration"] == {"Type": "REGIONAL"}
