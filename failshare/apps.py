from django.apps import AppConfig


class FailshareConfig(AppConfig):
    name = "failshare"
    verbose_name = "failshare"
