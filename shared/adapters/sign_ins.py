"""The practice's Cognito user pool, for inviting a counselor: AdminCreateUser (Cognito emails the temporary
password and the sign-in page) and the `counselor` group. The email address goes to Cognito only: never
into a log, an error or the table."""

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from shared.adapters import aws
from shared.domain.errors import StoreUnavailable
from shared.domain.records import COUNSELOR_GROUP
from shared.services.ports import AccountTaken, AddressRefused


class CognitoSignIns:
    def __init__(self, user_pool_id: str, client: Any | None = None) -> None:
        self.user_pool_id = user_pool_id
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = aws.client("cognito-idp")
        return self._client

    def invite_counselor(self, email: str) -> str:
        """Creates the account in the counselor group and returns its `sub`. Raises AccountTaken when the
        address has an account already, AddressRefused when the pool does not take it as a username."""
        try:
            created = self.client.admin_create_user(
                UserPoolId=self.user_pool_id,
                Username=email,
                UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}],
                DesiredDeliveryMediums=["EMAIL"],
            )
            username = created["User"]["Username"]
            self.client.admin_add_user_to_group(
                UserPoolId=self.user_pool_id, Username=username, GroupName=COUNSELOR_GROUP
            )
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code")
            if code == "UsernameExistsException":
                raise AccountTaken() from None
            if code == "InvalidParameterException":  # the only parameter a caller chooses is the address
                raise AddressRefused() from None
            raise StoreUnavailable() from None
        except BotoCoreError:
            raise StoreUnavailable() from None
        attributes = {a["Name"]: a["Value"] for a in created["User"].get("Attributes", [])}
        return str(attributes.get("sub") or username)

    def remove(self, user_id: str) -> None:
        """Deletes an account just created whose link was refused (the pool's username is its sub)."""
        try:
            self.client.admin_delete_user(UserPoolId=self.user_pool_id, Username=user_id)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "UserNotFoundException":
                raise StoreUnavailable() from None
        except BotoCoreError:
            raise StoreUnavailable() from None
