"""A counselor's own page, through the real handlers on moto: the sign-in an admin's invitation creates (a
real account in the user pool's counselor group), the profile it reaches, the fields it may change, its
upcoming first conversations and rating figures, and the history admins see. Each refusal changes nothing.
"""

import threading
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from infra.local.provision import LocalStack
from shared.domain.counselor import ADMIN_ONLY_FIELDS, CounselorProfile
from tests.integration.bookings import SCHEDULE, book, bookable_counselor, cancel, first_openings, submitted
from tests.integration.harness import (
    Api,
    ClaimsByToken,
    api_with,
    counselor_sign_in,
    expect,
    new_counselor,
    partition_items,
    rated_by,
    stored_counselor,
)
from tests.integration.races import Interleaving, run_together, separate_environments

NEW_WINDOWS = [{"day": "sat", "start": "09:00", "end": "12:00"}]


def own(api: Api, token: str) -> dict[str, Any]:
    body: dict[str, Any] = expect(200, api.get("/counselor/profile", as_=token)).json
    return body


def editable(profile: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The profile as the counselor's page sends it back: their own fields and the version, with changes."""
    body = {k: v for k, v in profile.items() if k not in ADMIN_ONLY_FIELDS | {"counselor_id"}}
    return {**body, **changes}


def counselor_items(aws: LocalStack, counselor_id: str) -> list[dict[str, Any]]:
    return partition_items(aws, f"COUNSELOR#{counselor_id}")


@pytest.fixture
def counselor(api: Api) -> CounselorProfile:
    return bookable_counselor(api, name="Self Service", bio="An old bio.", open_slots=2, max_open_slots=4)


@pytest.fixture
def token(api: Api, counselor: CounselorProfile) -> str:
    return counselor_sign_in(api, counselor)


def test_a_counselor_reads_their_own_whole_profile_and_which_fields_are_the_admins(
    api: Api, counselor: CounselorProfile, token: str
) -> None:
    reply = own(api, token)
    assert reply["profile"] == counselor.model_dump(mode="json")
    assert set(reply["admin_only"]) == ADMIN_ONLY_FIELDS
    assert set(reply["admin_only"]) == {"credentials", "licensed_in", "license_numbers", "active", "max_open_slots"}


def test_a_counselors_change_of_bio_and_windows_reaches_the_directory_and_their_openings(
    api: Api, aws: LocalStack, counselor: CounselorProfile, token: str
) -> None:
    # Given the counselor's profile as their page loads it (openings every day)
    profile = own(api, token)["profile"]
    # When they save a new bio and only Saturday mornings
    schedule = {**SCHEDULE, "windows": NEW_WINDOWS}
    reply = api.request(
        "PUT", "/counselor/profile", editable(profile, bio="A new bio, in my words.", schedule=schedule), as_=token
    )
    # Then the profile is at the next version, and the directory shows the new bio
    saved = expect(200, reply).json["profile"]
    assert saved["version"] == counselor.version + 1
    assert saved["bio"] == "A new bio, in my words."
    assert expect(200, api.get(f"/counselors/{counselor.counselor_id}")).json["bio"] == "A new bio, in my words."
    # And the roster's next opening is the first Saturday-morning one, in the counselor's zone
    changed = CounselorProfile.model_validate(saved)
    expected = min(first_openings(changed, kind, limit=1)[0] for kind in ("consult_call", "first_session"))
    opening = datetime.fromisoformat(stored_counselor(aws, counselor.counselor_id)["next_opening"]["S"])
    assert opening == expected
    assert opening.astimezone(ZoneInfo(SCHEDULE["time_zone"])).strftime("%a %H") in {"Sat 09", "Sat 10", "Sat 11"}
    # And the admin-only fields are as they were
    before = counselor.model_dump(mode="json")
    assert {k: saved[k] for k in ADMIN_ONLY_FIELDS} == {k: before[k] for k in ADMIN_ONLY_FIELDS}


def test_a_client_sees_the_counselors_new_windows_on_their_shortlist(aws: LocalStack) -> None:
    # Given a practice where clients book, and a counselor who offers every day
    api = api_with(aws, BookingPolicy="client-first")
    counselor = bookable_counselor(api, name="Windows Changed", open_slots=2)
    token = counselor_sign_in(api, counselor)
    client = submitted(api)
    # When the counselor keeps only Saturday mornings
    profile = own(api, token)["profile"]
    schedule = {**SCHEDULE, "windows": NEW_WINDOWS}
    expect(200, api.request("PUT", "/counselor/profile", editable(profile, schedule=schedule), as_=token))
    # Then every opening the client's shortlist offers with them is on a Saturday morning in their zone
    shortlist = expect(
        200,
        api.get(f"/intakes/{client['reference']}/shortlist", headers={"X-Status-Token": client["status_token"]}),
    ).json
    (entry,) = [e for e in shortlist["entries"] if e["counselor"]["counselor_id"] == counselor.counselor_id]
    starts = [
        datetime.fromisoformat(s) for s in [*entry["openings"]["consult_call"], *entry["openings"]["first_session"]]
    ]
    assert starts
    local = {s.astimezone(ZoneInfo(SCHEDULE["time_zone"])).strftime("%a") for s in starts}
    assert local == {"Sat"}


def test_an_admin_only_field_in_a_counselors_update_is_refused_and_changes_nothing(
    api: Api, aws: LocalStack, counselor: CounselorProfile, token: str
) -> None:
    profile = own(api, token)["profile"]
    before = counselor_items(aws, counselor.counselor_id)
    for field, value in [
        ("licensed_in", ["US-NY"]),
        ("credentials", ["PhD"]),
        ("license_numbers", ["X-1"]),
        ("active", False),
        ("max_open_slots", 200),
    ]:
        reply = api.request("PUT", "/counselor/profile", editable(profile, **{field: value}), as_=token)
        assert reply.status == 422, (field, reply.status)
        assert field in str(reply.json["detail"]), field
    assert counselor_items(aws, counselor.counselor_id) == before


def test_open_slots_above_the_admins_maximum_are_refused_and_change_nothing(
    api: Api, aws: LocalStack, counselor: CounselorProfile, token: str
) -> None:
    profile = own(api, token)["profile"]
    before = counselor_items(aws, counselor.counselor_id)
    reply = api.request("PUT", "/counselor/profile", editable(profile, open_slots=5), as_=token)
    assert reply.status == 400
    assert reply.json["detail"][0]["loc"] == ["body", "open_slots"]
    assert "at most 4" in reply.json["message"]
    assert counselor_items(aws, counselor.counselor_id) == before
    # Within it, the change is saved, with accepting
    saved = expect(
        200,
        api.request(
            "PUT", "/counselor/profile", editable(profile, open_slots=4, accepting_new_clients=False), as_=token
        ),
    ).json["profile"]
    assert (saved["open_slots"], saved["accepting_new_clients"]) == (4, False)


def test_a_counselors_update_on_a_stale_version_gets_409_and_changes_nothing(
    api: Api, aws: LocalStack, counselor: CounselorProfile, token: str
) -> None:
    profile = own(api, token)["profile"]
    expect(
        200,
        api.request(
            "PATCH", f"/admin/counselors/{counselor.counselor_id}", {"version": 1, "open_slots": 3}, as_="admin"
        ),
    )
    before = counselor_items(aws, counselor.counselor_id)
    reply = api.request("PUT", "/counselor/profile", editable(profile, bio="Lost update"), as_=token)
    assert reply.status == 409
    assert reply.json["code"] == "stale_version"
    assert counselor_items(aws, counselor.counselor_id) == before


def test_admins_see_who_changed_which_fields_and_when_never_the_values(
    api: Api, counselor: CounselorProfile, token: str
) -> None:
    profile = own(api, token)["profile"]
    expect(
        200,
        api.request(
            "PUT", "/counselor/profile", editable(profile, bio="Secret-ish words", pronouns="she/her"), as_=token
        ),
    )
    expect(
        200,
        api.request(
            "PATCH",
            f"/admin/counselors/{counselor.counselor_id}",
            {"version": 2, "active": True, "open_slots": 1},
            as_="admin",
        ),
    )
    reply = expect(200, api.get(f"/admin/counselors/{counselor.counselor_id}/changes", as_="admin"))
    items = reply.json["items"]
    assert [(i["by"], i["created"], i["fields"]) for i in items] == [
        ("admin", False, ["open_slots"]),
        ("counselor", False, ["pronouns", "bio"]),
        ("admin", True, []),
    ]
    assert items[1]["actor"] == f"{counselor.counselor_id}@practice.example"
    assert items[0]["actor"] == "admin@practice.example"
    assert "Secret-ish" not in reply.body.decode()
    # and only admins can read it
    assert api.get(f"/admin/counselors/{counselor.counselor_id}/changes", as_=token).status == 403
    assert api.get(f"/admin/counselors/{counselor.counselor_id}/changes", as_="staff").status == 403
    assert api.get("/admin/counselors/c-nobody0/changes", as_="admin").status == 404


def test_a_counselor_token_naming_another_counselor_reaches_only_its_own_profile(
    api: Api, aws: LocalStack, counselor: CounselorProfile, token: str
) -> None:
    # Given another counselor, with a sign-in of their own
    other = new_counselor(api, name="Someone Else", bio="Their bio.")
    counselor_sign_in(api, other)
    theirs = counselor_items(aws, other.counselor_id)
    profile = own(api, token)["profile"]
    # When the first counselor names the other one in the query, the body, or as the path would
    assert own(api, token)["profile"]["counselor_id"] == counselor.counselor_id
    for query in (f"?counselor_id={other.counselor_id}", f"?id={other.counselor_id}"):
        assert (
            expect(200, api.get(f"/counselor/profile{query}", as_=token)).json["profile"]["counselor_id"]
            == counselor.counselor_id
        )
    for extra in ({"counselor_id": other.counselor_id}, {"account_id": "someone"}):
        reply = api.request("PUT", "/counselor/profile", {**editable(profile, bio="Hijack"), **extra}, as_=token)
        assert reply.status == 422, extra
    assert api.request("PUT", f"/counselor/profile/{other.counselor_id}", editable(profile), as_=token).status in (
        403,
        404,
    )
    assert (
        api.request(
            "PUT", f"/counselor/profile?counselor_id={other.counselor_id}", editable(profile, bio="Mine"), as_=token
        ).status
        == 200
    )
    # Then the other counselor is exactly as they were, and the change landed on the caller's own profile
    assert counselor_items(aws, other.counselor_id) == theirs
    assert own(api, token)["profile"]["bio"] == "Mine"


def test_a_counselor_cannot_reach_staff_or_admin_routes(api: Api, counselor: CounselorProfile, token: str) -> None:
    for method, path in [
        ("GET", "/review/queue"),
        ("GET", "/review/report"),
        ("GET", f"/admin/counselors/{counselor.counselor_id}"),
        ("PUT", f"/admin/counselors/{counselor.counselor_id}"),
        ("GET", "/admin/counselors"),
    ]:
        assert api.request(method, path, {} if method == "PUT" else None, as_=token).status == 403, path


def test_a_sign_in_without_a_profile_or_with_an_inactive_one_is_refused(
    api: Api, counselor: CounselorProfile, token: str
) -> None:
    ClaimsByToken.tokens = {
        **ClaimsByToken.tokens,
        "unlinked": {"sub": "no-link-1", "email": "x@practice.example", "cognito:groups": "counselor"},
    }
    reply = api.get("/counselor/profile", as_="unlinked")
    assert reply.status == 403
    assert "not linked" in reply.json["message"]
    expect(
        200,
        api.request(
            "PATCH", f"/admin/counselors/{counselor.counselor_id}", {"version": 1, "active": False}, as_="admin"
        ),
    )
    for path in ("/counselor/profile", "/counselor/meetings", "/counselor/ratings"):
        assert api.get(path, as_=token).status == 403, path


def test_an_invitation_creates_one_account_in_the_counselor_group_and_a_second_is_refused(
    api: Api, aws: LocalStack, counselor: CounselorProfile, token: str
) -> None:
    cognito = aws.client("cognito-idp")
    address = f"{counselor.counselor_id}@practice.example"
    groups = cognito.admin_list_groups_for_user(UserPoolId=aws.user_pool_id, Username=address)["Groups"]
    assert [g["GroupName"] for g in groups] == ["counselor"]
    users_before = cognito.list_users(UserPoolId=aws.user_pool_id)["Users"]
    # A second invitation of the same counselor, with another address: refused, no account made
    reply = api.post(
        f"/admin/counselors/{counselor.counselor_id}/sign-in", {"email": "new@practice.example"}, as_="admin"
    )
    assert (reply.status, reply.json["code"]) == (409, "has_sign_in")
    # The same address for another counselor: refused
    other = new_counselor(api, name="Other One")
    reply = api.post(f"/admin/counselors/{other.counselor_id}/sign-in", {"email": address}, as_="admin")
    assert (reply.status, reply.json["code"]) == (409, "email_has_sign_in")
    assert "practice.example" not in reply.body.decode()
    # An unknown counselor: 404, and no account left behind
    reply = api.post("/admin/counselors/c-nobody0/sign-in", {"email": "ghost@practice.example"}, as_="admin")
    assert reply.status == 404
    assert cognito.list_users(UserPoolId=aws.user_pool_id)["Users"] == users_before
    # An address the user pool refuses though it passes the API's check (a non-ASCII domain): 400 at the
    # field, and nothing made (it was a 503 "service busy")
    reply = api.post(f"/admin/counselors/{other.counselor_id}/sign-in", {"email": "qtk@\U0006e9f4.da"}, as_="admin")
    assert (reply.status, reply.json["detail"][0]["loc"]) == (400, ["body", "email"]), reply.json
    assert cognito.list_users(UserPoolId=aws.user_pool_id)["Users"] == users_before
    # A bad address: 422
    assert (
        api.post(f"/admin/counselors/{other.counselor_id}/sign-in", {"email": "not an email"}, as_="admin").status
        == 422
    )
    # Only admins invite
    assert (
        api.post(f"/admin/counselors/{other.counselor_id}/sign-in", {"email": "a@practice.example"}, as_="staff").status
        == 403
    )


def test_a_counselor_sees_their_upcoming_first_conversations_and_not_a_cancelled_one(aws: LocalStack) -> None:
    api = api_with(aws, BookingPolicy="client-first")
    counselor = bookable_counselor(api, name="Meets Clients", open_slots=3)
    token = counselor_sign_in(api, counselor)
    other = bookable_counselor(api, name="Meets Others", open_slots=3)
    assert expect(200, api.get("/counselor/meetings", as_=token)).json == {"items": []}
    first, second, theirs = (submitted(api, email=f"meet{i}@example.org") for i in range(3))
    times = first_openings(counselor, limit=40)
    expect(201, book(api, first, counselor.counselor_id, times[30]))
    expect(201, book(api, second, counselor.counselor_id, times[2]))
    expect(201, book(api, theirs, other.counselor_id, first_openings(other)[0]))
    items = expect(200, api.get("/counselor/meetings", as_=token)).json["items"]
    assert [(i["intake_id"], datetime.fromisoformat(i["start"])) for i in items] == [
        (second["reference"], times[2]),
        (first["reference"], times[30]),
    ]
    assert {i["kind"] for i in items} == {"first_session"}
    assert all(
        datetime.fromisoformat(i["end"]) - datetime.fromisoformat(i["start"]) == timedelta(minutes=50) for i in items
    )
    assert "Sam" not in str(items) and "example.org" not in str(items)
    expect(200, cancel(api, second))
    items = expect(200, api.get("/counselor/meetings", as_=token)).json["items"]
    assert [i["intake_id"] for i in items] == [first["reference"]]


def test_a_counselor_sees_their_rating_figures_only_from_the_privacy_minimum(api: Api) -> None:
    counselor = new_counselor(api, name="Rated Counselor", open_slots=10)
    token = counselor_sign_in(api, counselor)
    assert expect(200, api.get("/counselor/ratings", as_=token)).json == {
        "minimum": 5,
        "clients": 0,
        "understanding": None,
    }
    rated_by(api, counselor, ratings=4, identity=8)
    assert expect(200, api.get("/counselor/ratings", as_=token)).json == {
        "minimum": 5,
        "clients": None,
        "understanding": None,
    }
    rated_by(api, counselor, ratings=1, identity=8)
    reply = expect(200, api.get("/counselor/ratings", as_=token)).json
    assert reply["minimum"] == 5 and reply["clients"] == 5
    assert reply["understanding"] is not None and 0 <= reply["understanding"] <= 10


def test_a_counselors_save_and_an_admins_at_once_keep_one_and_refuse_the_other(
    api: Api, aws: LocalStack, counselor: CounselorProfile, token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the counselor's page and the admin's form, both loaded at version 1
    profile = own(api, token)["profile"]
    (theirs,) = separate_environments(api, "CounselorApiFunction", 1)
    (admins,) = separate_environments(api, "AdminApiFunction", 1)
    admin_body = {**counselor.model_dump(mode="json", exclude={"counselor_id"}), "bio": "The admin's bio."}
    # When both save, each having read the profile before either writes
    race = Interleaving()
    both_read = threading.Barrier(2)
    race.hold("counselor", "TransactWriteItems", both_read)
    race.hold("admin", "TransactWriteItems", both_read)
    with race.installed(monkeypatch):
        replies = run_together(
            {
                "counselor": lambda: theirs.request(
                    "PUT", "/counselor/profile", editable(profile, bio="The counselor's bio."), as_=token
                ),
                "admin": lambda: admins.request(
                    "PUT", f"/admin/counselors/{counselor.counselor_id}", admin_body, as_="admin"
                ),
            }
        )
    # Then one is saved at version 2 and the other gets 409: no change is lost without its author knowing
    statuses = sorted(r.status for r in replies.values())
    assert statuses == [200, 409], {k: (r.status, r.json) for k, r in replies.items()}
    winner = next(name for name, r in replies.items() if r.status == 200)
    stored = expect(200, api.get(f"/admin/counselors/{counselor.counselor_id}", as_="admin")).json
    assert stored["version"] == 2
    assert stored["bio"] == ("The counselor's bio." if winner == "counselor" else "The admin's bio.")
    changes = expect(200, api.get(f"/admin/counselors/{counselor.counselor_id}/changes", as_="admin")).json
    assert len(changes["items"]) == 2  # the creation and the one change that landed


def test_two_invitations_of_one_counselor_at_once_link_one_account_and_delete_the_other(
    api: Api, aws: LocalStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    counselor = new_counselor(api, name="Invited Twice")
    one, two = separate_environments(api, "AdminApiFunction", 2)
    race = Interleaving()
    both_created = threading.Barrier(2)
    race.hold("one", "TransactWriteItems", both_created)
    race.hold("two", "TransactWriteItems", both_created)
    path = f"/admin/counselors/{counselor.counselor_id}/sign-in"
    with race.installed(monkeypatch):
        replies = run_together(
            {
                "one": lambda: one.post(path, {"email": "one@practice.example"}, as_="admin"),
                "two": lambda: two.post(path, {"email": "two@practice.example"}, as_="admin"),
            }
        )
    assert sorted(r.status for r in replies.values()) == [201, 409]
    winner = next(name for name, r in replies.items() if r.status == 201)
    users = aws.client("cognito-idp").list_users(UserPoolId=aws.user_pool_id)["Users"]
    emails = sorted(a["Value"] for u in users for a in u["Attributes"] if a["Name"] == "email")
    assert emails == [f"{winner}@practice.example"]
    (user,) = users
    sub = next(a["Value"] for a in user["Attributes"] if a["Name"] == "sub")
    assert stored_counselor(aws, counselor.counselor_id)["account_id"]["S"] == sub
    links = partition_items(aws, f"ACCOUNT#{sub}")
    assert [i["counselor_id"]["S"] for i in links] == [counselor.counselor_id]
