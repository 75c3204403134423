from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from confessions.api import views

app_name = "api"

urlpatterns = [
    path("", views.index, name="index"),
    path("stories/", views.story_list, name="stories"),
    path("stories/<str:slug>/", views.story_detail, name="story"),
    path("sectors/", views.sector_list, name="sectors"),
    path("tags/", views.tag_list, name="tags"),
    path("causes/", views.cause_list, name="causes"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.docs, name="docs"),
    path("downloads/<str:format>", views.download, name="download"),
    # Anything else under /api/ is a JSON 404, as a client of the API expects.
    re_path(r"^", views.not_found),
]
