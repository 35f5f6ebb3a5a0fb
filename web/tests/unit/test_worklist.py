"""The worklist through the BFF with a fake gRPC layer: filters, POSTed search, paging."""

from __future__ import annotations

from ekm.cases.v1 import cases_pb2
from ekm_web.backend import BackendError


def _rows(request, token):
    return cases_pb2.ListCasesResponse(
        cases=[
            cases_pb2.Case(
                case_number="CASE-2026-000007",
                stage=cases_pb2.STAGE_ASSESSMENT,
                person_name="Коваленко Андрій",
                overdue=True,
                overdue_steps=2,
                next_step_due_on="2026-12-01",
            )
        ],
        next_page_token="tok-2",
    )


def test_worklist_shows_rows_with_labels_and_filters(web, fake_backend):
    fake_backend.handlers[("cases", "GetCatalogue")] = lambda r, t: cases_pb2.Catalogue()
    fake_backend.handlers[("cases", "ListCases")] = _rows
    web.sign_in("cm-1")
    reply = web.get("/worklist?stage=2&overdue=1&community=UA80000000000093317")
    assert reply.status_code == 200
    html = reply.text
    assert "CASE-2026-000007" in html and "Коваленко Андрій" in html and "Оцінка потреб" in html
    assert "Прострочено" in html and "прострочених кроків: 2" in html
    sent = [c[2] for c in fake_backend.calls if c[1] == "ListCases"][0]
    assert sent.stage == cases_pb2.STAGE_ASSESSMENT and sent.overdue_only
    assert sent.community_code == "UA80000000000093317" and sent.page_size == 25
    assert "page_token=tok-2" in html  # next page link carries the opaque token only
    token = [c[3] for c in fake_backend.calls if c[1] == "ListCases"][0]
    import os

    from ekm_platform.auth import verify_token

    principal = verify_token(token, open(os.environ["EKM_JWT_PUBLIC_KEY"], "rb").read())
    assert (principal.user_id, principal.role) == ("cm-1", "case_manager")


def test_search_is_posted_and_never_in_a_url(web, fake_backend):
    fake_backend.handlers[("cases", "GetCatalogue")] = lambda r, t: cases_pb2.Catalogue()
    fake_backend.handlers[("cases", "ListCases")] = _rows
    web.sign_in("cm-1")
    reply = web.post("/worklist", {"search": "3221512349"}, csrf_from="/worklist")
    assert reply.status_code == 200
    sent = [c[2] for c in fake_backend.calls if c[1] == "ListCases"][-1]
    assert sent.search == "3221512349"
    # the next page of a search is a POST form too: the search text is in no link
    import re

    assert not [href for href in re.findall(r'href="([^"]*)"', reply.text) if "3221512349" in href]
    assert not [action for action in re.findall(r'action="([^"]*)"', reply.text) if "3221512349" in action]
    assert 'name="page_token" value="tok-2"' in reply.text


def test_search_error_is_shown_at_the_field(web, fake_backend):
    def refuse(request, token):
        raise BackendError(
            "INVALID_ARGUMENT",
            "search: занадто короткий / too short",
            {"search": "Введіть щонайменше 2 літери / at least 2 letters"},
        )

    fake_backend.handlers[("cases", "GetCatalogue")] = lambda r, t: cases_pb2.Catalogue()
    fake_backend.handlers[("cases", "ListCases")] = refuse
    web.sign_in("cm-1")
    reply = web.post("/worklist", {"search": "К"}, csrf_from="/worklist")
    assert reply.status_code == 400
    assert 'aria-invalid="true"' in reply.text and "Введіть щонайменше 2 літери" in reply.text
    assert "at least 2 letters" not in reply.text  # Ukrainian page: the Ukrainian part only


def test_a_supervisor_filters_by_a_team_member(web, fake_backend):
    fake_backend.handlers[("cases", "GetCatalogue")] = lambda r, t: cases_pb2.Catalogue()
    fake_backend.handlers[("cases", "ListCases")] = _rows
    web.sign_in("sv-1")
    html = web.get("/worklist?assigned_to=cm-2").text
    assert 'id="f-assigned"' in html and "assigned_to=cm-2" in html
    assert [c[2] for c in fake_backend.calls if c[1] == "ListCases"][-1].assigned_to == "cm-2"
    web.sign_in("cm-1")
    assert 'id="f-assigned"' not in web.get("/worklist").text
