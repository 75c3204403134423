"""Demo content for this app (see failshare/demo.py)."""


def seed(*, bulk_confessions: int, seed: int) -> list[str]:
    return []
