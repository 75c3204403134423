"""What the home page shows, gathered from each app's own queries."""


def home_sections() -> dict:
    sections: dict = {}
    return sections
