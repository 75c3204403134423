import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.strategies import assert_escaped, fuzz_settings, hostile_text

pytestmark = pytest.mark.django_db

FUZZ = fuzz_settings(40)


@FUZZ
@given(email=hostile_text, password=hostile_text)
def test_signup_never_fails_on_hostile_input(client, email, password):
    response = client.post(
        "/accounts/signup/", {"email": email, "password1": password, "password2": password}
    )
    assert response.status_code in (200, 302, 429)
    assert_escaped(response.content.decode(), email)


@FUZZ
@given(login=hostile_text, password=hostile_text)
def test_login_never_fails_on_hostile_input(client, login, password):
    response = client.post("/accounts/login/", {"login": login, "password": password})
    assert response.status_code in (200, 302, 429)
    assert_escaped(response.content.decode(), login)


@FUZZ
@given(email=hostile_text)
def test_password_reset_never_fails_on_hostile_input(client, email):
    response = client.post("/accounts/password/reset/", {"email": email})
    assert response.status_code in (200, 302, 429)
    assert_escaped(response.content.decode(), email)


@FUZZ
@given(path=st.text(alphabet=st.characters(codec="ascii", exclude_categories=["Cc"]), max_size=60))
def test_unknown_addresses_never_fail(client, path):
    response = client.get("/" + path.lstrip("/"))
    assert response.status_code < 500
