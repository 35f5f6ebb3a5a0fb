"""Requests a frontend would send, for the cross-service tests and the benchmark."""

from __future__ import annotations

import itertools
import random
from datetime import date

from ekm.common.v1 import common_pb2
from ekm.intake.v1 import intake_pb2
from ekm_platform.identifiers import make_rnokpp, make_unzr

_serial = itertools.count(random.randrange(10**6))


def new_person() -> common_pb2.PersonIdentity:
    """A person nobody else in the run has: valid РНОКПП and УНЗР with check digits."""
    n = next(_serial)
    born = date(1960 + n % 40, 1 + n % 12, 1 + n % 28)
    days = (born - date(1899, 12, 31)).days
    return common_pb2.PersonIdentity(
        rnokpp=make_rnokpp(f"{days:05d}{n % 10000:04d}"),
        unzr=make_unzr(born, n % 10000),
        last_name="Тестенко",
        first_name="Олена",
        patronymic="Іванівна",
        birth_date=born.isoformat(),
    )


def appeal_request(**changes) -> intake_pb2.SubmitAppealRequest:
    request = intake_pb2.SubmitAppealRequest(
        applicant=intake_pb2.Applicant(person=new_person(), phone="+380501234567", is_subject=True),
        channel=common_pb2.CHANNEL_PHONE,
        description="Ветеран повернувся зі служби; потрібна реабілітація.",
        consent_to_processing=True,
        community_code="UA80000000000093317",
    )
    for key, value in changes.items():
        setattr(request, key, value)
    return request
