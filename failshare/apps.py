from django.apps import AppConfig


class FailshareConfig(AppConfig):
    name = "failshare"
    verbose_name = "failshare"

    def ready(self):
        from failshare import checks  # noqa: F401 - registers the checks
        from failshare.staff import connect_receivers

        connect_receivers()
