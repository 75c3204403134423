"""This app's part of the home page and of the tag page (see failshare/home.py)."""


def home() -> dict:
    return {}


def tag(tag) -> dict:
    return {}
