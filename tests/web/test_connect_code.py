"""Settings → Connect a browser: a code shown once with its expiry and a link carrying it in the
fragment (never sent to a server), not cached; the link's page says what to do with it."""

import re

from .test_security import csrf_token

CODE = re.compile(r'id="connect-code">([A-Z2-9]{4}-[A-Z2-9]{4})<')


def test_settings_makes_a_code_with_its_link_and_expiry_and_keeps_it_out_of_caches(client, ann, login):
    login(ann)
    assert CODE.search(client.get("/settings").text) is None  # codes are shown when made, never listed
    answer = client.post("/settings/connect", data={"csrf_token": csrf_token(client)})
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    code = CODE.search(answer.text).group(1)
    assert f'href="http://localhost/connect#code={code}"' in answer.text
    assert re.search(r'good once, until <time datetime="[^"]+" data-format="moment">', answer.text)
    assert code not in client.get("/settings").text
    again = CODE.search(client.post("/settings/connect", data={"csrf_token": csrf_token(client)}).text).group(1)
    assert again != code


def test_making_a_code_needs_a_session_and_the_forms_csrf_token(client, ann, login):
    assert client.post("/settings/connect").status_code == 400  # no CSRF token
    signed_out = client.post("/settings/connect", data={"csrf_token": csrf_token(client, "/login")})
    assert signed_out.status_code == 302 and "/login" in signed_out.headers["Location"]
    login(ann)
    refused = client.post("/settings/connect", data={"csrf_token": "forged"})
    assert refused.status_code == 400 and CODE.search(refused.text) is None


def test_the_link_page_tells_what_to_do_with_the_code_signed_in_or_not(client, ann, login):
    page = client.get("/connect")
    assert page.status_code == 200
    assert "Connect with a code" in page.text and "http://localhost" in page.text
    assert 'src="/static/connect.js"' in page.text
