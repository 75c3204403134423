from django.apps import AppConfig


class ConfessionsConfig(AppConfig):
    name = "confessions"
    verbose_name = "Stories"
