from datetime import date

import pytest
from grpc import StatusCode

from ekm_platform.envelope import Envelope, EnvelopeError, PersonalDataInEvent, check_no_personal_data
from ekm_platform.errors import FailedPrecondition, NotFound, ValidationError
from ekm_platform.grpc_support import to_grpc_error
from ekm_platform.identifiers import make_rnokpp, make_unzr


def test_envelope_round_trip():
    envelope = Envelope(event_type="appeal.accepted", source="intake", data={"appeal_id": "a1"})
    again = Envelope.from_message(envelope.to_message())
    assert again == envelope


@pytest.mark.parametrize(
    "body",
    [
        None,
        [],
        {"event_type": "x"},
        {"event_id": "not-a-uuid", "event_type": "x", "source": "s", "data": {}},
        {"event_id": "6f1c1a5e-8d7e-4d55-9d89-2b4e6f0e0b11", "event_type": "x", "source": "s", "data": "str"},
    ],
)
def test_unreadable_events_are_rejected(body):
    with pytest.raises(EnvelopeError):
        Envelope.from_message(body)


def test_personal_data_keys_are_refused_even_nested():
    check_no_personal_data({"appeal_id": "1", "meta": {"community_code": "UA1"}})
    with pytest.raises(PersonalDataInEvent):
        check_no_personal_data({"appeal_id": "1", "person": {"rnokpp": "123"}})


def test_errors_map_to_grpc_status_with_field_violations():
    error = to_grpc_error(ValidationError.single("subject.rnokpp", "wrong check digit"))
    assert error.code == StatusCode.INVALID_ARGUMENT
    assert "subject.rnokpp" in error.message
    assert error.status.details  # google.rpc.BadRequest attached
    assert to_grpc_error(NotFound("x")).code == StatusCode.NOT_FOUND
    assert to_grpc_error(FailedPrecondition("x")).code == StatusCode.FAILED_PRECONDITION


def test_the_message_body_has_every_field_of_the_envelope():
    from dataclasses import fields

    envelope = Envelope("thing.happened", "svc", {"thing_id": "t1", "nested": {"n": 1}})
    body = envelope.to_message()
    assert set(body) == {f.name for f in fields(Envelope)}
    assert Envelope.from_message(body) == envelope


def test_personal_data_keys_are_refused_inside_lists():
    with pytest.raises(PersonalDataInEvent, match=r"facts\[0\]\.rnokpp"):
        check_no_personal_data({"facts": [{"rnokpp": "3012345678"}]})
    with pytest.raises(PersonalDataInEvent):
        check_no_personal_data({"groups": [[{"kind": "x"}, {"phone": "x"}]]})


@pytest.mark.parametrize(
    "value",
    [
        make_rnokpp("301234567"),  # a valid РНОКПП under an innocent key
        int(make_rnokpp("301234567")),
        f"person {make_rnokpp('245678901')} returned",  # inside free text
        make_unzr(date(1990, 5, 17), 1234),
        make_unzr(date(1990, 5, 17), 1234).replace("-", ""),
        "+380671234567",
        "380 67 123 45 67",
        "+38 (067) 123-45-67",
        "0441234567",
        "067-123-45-67",
        "olena.petrenko@example.com",
        "звернулася: o.p+1@mail.ua",
    ],
)
def test_values_that_look_like_personal_data_are_refused_whatever_their_key(value):
    with pytest.raises(PersonalDataInEvent, match="looks like personal data"):
        check_no_personal_data({"case_id": "c1", "meta": [{"note": value}]})


@pytest.mark.parametrize(
    "value",
    [
        "6f1c1a5e-8d7e-4d55-9d89-201234567890",
        "bf3c7a63-d74b-46de-b1a1-380835989575",  # last group reads as +380…
        "BF3C7A63-D74B-46DE-B1A1-380671234567",
        "EKM-261203-7K2M9QX4",
        "CASE-2026-1234567",
        "UA12345678901234567",
        "12345678",
        "2026-12-03T11:46:25.123456+00:00",
        "2026-12-03",
        "1234567890",  # 1234567890: wrong check digit
        make_unzr(date(1990, 5, 17), 1234)[:-1] + "0"
        if make_unzr(date(1990, 5, 17), 1234)[-1] != "0"
        else "19900517-12341",
        5,
        2026,
        3.5,
        True,
        None,
        "border_guard",
        "registry.facts_found",
    ],
)
def test_identifiers_dates_and_codes_pass(value):
    check_no_personal_data({"case_id": "c1", "meta": [{"note": value}], "value": value})
