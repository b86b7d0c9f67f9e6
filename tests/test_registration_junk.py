"""Junk in every registration form field and query argument, as every role: never a 500."""

from __future__ import annotations

from conftest import HX

from webapp.accounts.models import Role
from webapp.registration import services

JUNK = ["", "abc", "-1", "0", "99999999999999999999", "²", "1e3", "<script>", "' OR 1=1 --", "x" * 5000]

def test_junk_input_never_breaks_a_registration_page(client, make, db, auth):
    org = make.organization()
    s = make.session(capacity=1)
    coord = make.user(Role.COORDINATOR, scope=org, organization=org)
    leader = make.user(Role.SITE_LEADER, scope=s.site)
    t = make.user(organization=org)
    reg = services.register(s.id, t, t)
    db.session.commit()
    bad = []
    for user in (t, coord, leader):
        auth.login(user)
        for junk in JUNK:
            for method, url, data in [
                ("post", f"/registrations/{reg.id}/cancel", {"reason": junk, "next": junk, "from": junk}),
                ("post", f"/registrations/{reg.id}/approve", {"next": junk, "from": junk}),
                ("post", f"/registrations/{reg.id}/reject", {"reason": junk, "next": junk, "from": "roster"}),
                ("post", f"/registrations/{reg.id}/promote", {"next": junk}),
                ("post", f"/sessions/{s.id}/roster/bulk", {"action": junk, "ids": [junk, str(reg.id)], "reason": junk}),
                ("post", f"/sessions/{s.id}/roster/add", {"user_id": junk}),
                ("post", f"/sessions/{s.id}/nominate", {"user_ids": [junk]}),
                ("get", f"/sessions/{s.id}/roster?status={junk}&org={junk}&q={junk}&page={junk}", None),
                ("get", f"/sessions/{s.id}/roster/people?q={junk}", None),
                ("get", f"/sessions/{s.id}/roster.csv?status={junk}&org={junk}", None),
                ("get", f"/my/registrations?tab={junk}&page={junk}", None),
                ("get", f"/school?org={junk}&q={junk}&page={junk}", None),
                ("get", f"/sessions/{s.id}/nominate?q={junk}&user_ids={junk}", None),
            ]:
                for headers in ({}, HX):
                    r = getattr(client, method)(url, data=data, headers=headers) if data is not None else client.get(url, headers=headers)
                    if r.status_code >= 500:
                        bad.append((user.email, method, url[:80], junk[:20], r.status_code))
    assert not bad, bad
