"""Staff with an authenticator app sign in with their password and then a valid code they have
not used before, or one of their recovery codes; wrong codes are limited."""

import pyotp
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.test import Client
from django.urls import reverse

from tests.staff.helpers import current_code, enter_code, is_signed_in, sign_in_with_password


def test_it_asks_for_a_code_after_the_password(client, moderator):
    response = sign_in_with_password(client, moderator)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert not is_signed_in(client, moderator)
    assert client.get("/admin/").status_code == 302


def test_it_signs_in_with_the_authenticator_apps_code(client, moderator):
    sign_in_with_password(client, moderator)
    response = enter_code(client, current_code(moderator.totp_secret))
    assert response.status_code == 302
    assert is_signed_in(client, moderator)
    assert client.get("/admin/confessions/confession/").status_code == 200


def test_it_refuses_a_wrong_code(client, moderator):
    sign_in_with_password(client, moderator)
    right = current_code(moderator.totp_secret)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = enter_code(client, wrong)
    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    assert not is_signed_in(client, moderator)


def test_it_refuses_the_code_of_another_authenticator(client, moderator):
    sign_in_with_password(client, moderator)
    enter_code(client, pyotp.TOTP(pyotp.random_base32()).now())
    assert not is_signed_in(client, moderator)


def test_it_refuses_a_code_already_used(moderator):
    code = current_code(moderator.totp_secret)
    first, second = Client(), Client()
    sign_in_with_password(first, moderator)
    enter_code(first, code)
    assert is_signed_in(first, moderator)
    sign_in_with_password(second, moderator)
    response = enter_code(second, code)
    assert "Incorrect code" in response.content.decode()
    assert not is_signed_in(second, moderator)
    # Still the code of the current step: it was refused for being used, not for being old.
    assert pyotp.TOTP(moderator.totp_secret).now() == code


def test_it_signs_in_with_a_recovery_code_once(moderator):
    codes = RecoveryCodes.activate(moderator).get_unused_codes()
    first, second = Client(), Client()
    sign_in_with_password(first, moderator)
    enter_code(first, codes[0])
    assert is_signed_in(first, moderator)
    assert first.get("/admin/").status_code == 200
    sign_in_with_password(second, moderator)
    enter_code(second, codes[0])
    assert not is_signed_in(second, moderator)
    enter_code(second, codes[1])
    assert is_signed_in(second, moderator)


def test_it_limits_wrong_codes_so_even_the_right_one_is_refused_after(client, moderator):
    sign_in_with_password(client, moderator)
    for _ in range(5):
        enter_code(client, "000000" if current_code(moderator.totp_secret) != "000000" else "1")
    response = enter_code(client, current_code(moderator.totp_secret))
    assert "Too many failed login attempts" in response.content.decode()
    assert not is_signed_in(client, moderator)


def test_the_admin_login_asks_for_the_code_too(client, organiser):
    response = client.get("/admin/login/")
    assert response["Location"].startswith(reverse("account_login"))
    assert sign_in_with_password(client, organiser)["Location"] == reverse("mfa_authenticate")
