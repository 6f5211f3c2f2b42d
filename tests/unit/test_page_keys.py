"""The key attributes a page cursor must hold are exactly those of template.yaml's table and indexes."""

from infra import template
from shared.dal.keys import INDEX_KEYS, TABLE_KEY


def _names(schema: list[dict[str, str]]) -> tuple[str, ...]:
    order = {"HASH": 0, "RANGE": 1}
    return tuple(k["AttributeName"] for k in sorted(schema, key=lambda k: order[k["KeyType"]]))


def test_the_cursor_key_attributes_are_the_templates_table_and_index_keys() -> None:
    table = template.resources("AWS::DynamoDB::Table")["Table"]["Properties"]
    assert _names(table["KeySchema"]) == TABLE_KEY
    indexes = {i["IndexName"]: _names(i["KeySchema"]) for i in table["GlobalSecondaryIndexes"]}
    assert indexes == INDEX_KEYS
