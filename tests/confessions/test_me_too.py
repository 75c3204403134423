from django.test import Client

from confessions import me_too
from confessions.models import Confession, Status
from tests.confessions.factories import make_story


def count(story) -> int:
    return Confession.objects.get(pk=story.pk).me_too_count


def press(client, story):
    return client.post(f"/confessions/{story.slug}/me-too/")


def test_pressing_counts_once_and_shows_the_pressed_state(client):
    story = make_story(me_too_count=4)
    response = press(client, story)
    assert response.status_code == 302
    assert response["Location"] == f"/confessions/{story.slug}/#me-too"
    assert count(story) == 5
    page = client.get(story.get_absolute_url()).content.decode()
    assert "You said this happened to you too." in page
    assert "5 readers said" in page
    assert 'action="/confessions/' not in page.split('id="me-too"')[1].split("</section>")[0]


def test_pressing_again_in_the_same_browser_does_not_count_again(client):
    story = make_story()
    press(client, story)
    press(client, story)
    press(client, story)
    assert count(story) == 1


def test_a_double_submit_before_the_cookie_arrives_counts_once(client):
    story = make_story()
    client.get(story.get_absolute_url())  # the browser's CSRF cookie
    cookies = client.cookies
    first = press(client, story)
    # The second request of a double click carries the cookies from before the first answer.
    client.cookies = cookies
    client.cookies.pop(me_too.COOKIE_NAME, None)
    second = press(client, story)
    assert (first.status_code, second.status_code) == (302, 302)
    assert count(story) == 1


def test_different_browsers_each_count(client):
    story = make_story()
    for browser in (Client(), Client(), Client()):
        browser.get(story.get_absolute_url())
        press(browser, story)
    assert count(story) == 3


def test_other_visitors_see_the_new_count_at_once(client):
    story = make_story(me_too_count=2)
    reader = Client()
    assert "2 readers said" in reader.get(story.get_absolute_url()).content.decode()
    press(client, story)
    page = reader.get(story.get_absolute_url()).content.decode()
    assert "3 readers said" in page
    assert "You said this happened to you too." not in page
    assert 'action="/confessions/' in page


def test_a_tampered_cookie_is_ignored(client):
    story = make_story()
    client.cookies[me_too.COOKIE_NAME] = "0123456789ab"
    page = client.get(story.get_absolute_url()).content.decode()
    assert "You said this happened to you too." not in page
    press(client, story)
    assert count(story) == 1


def test_the_button_works_with_csrf_checks_on_and_fails_without_a_token():
    story = make_story()
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(story.get_absolute_url()).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert browser.post(f"/confessions/{story.slug}/me-too/").status_code == 403
    assert count(story) == 0
    response = browser.post(f"/confessions/{story.slug}/me-too/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert count(story) == 1


def test_get_is_not_allowed(client):
    story = make_story()
    assert client.get(f"/confessions/{story.slug}/me-too/").status_code == 405
    assert count(story) == 0


def test_unpublished_stories_cannot_be_pressed(client):
    story = make_story(status=Status.PENDING)
    assert press(client, story).status_code == 404
    assert count(story) == 0
