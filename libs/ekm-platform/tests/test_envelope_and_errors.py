import pytest
from grpc import StatusCode

from ekm_platform.envelope import Envelope, EnvelopeError, PersonalDataInEvent, check_no_personal_data
from ekm_platform.errors import FailedPrecondition, NotFound, ValidationError
from ekm_platform.grpc_support import to_grpc_error


def test_envelope_round_trip():
    envelope = Envelope(event_type="appeal.accepted", source="intake", data={"appeal_id": "a1"})
    again = Envelope.from_message(envelope.to_message())
    assert again == envelope


@pytest.mark.parametrize("body", [None, [], {"event_type": "x"},
                                  {"event_id": "not-a-uuid", "event_type": "x", "source": "s", "data": {}},
                                  {"event_id": "6f1c1a5e-8d7e-4d55-9d89-2b4e6f0e0b11", "event_type": "x",
                                   "source": "s", "data": "str"}])
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
