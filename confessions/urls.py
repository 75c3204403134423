from django.urls import path

from confessions import views
from confessions.submit_views import receipt, share

app_name = "confessions"

urlpatterns = [
    path("", views.confession_list, name="list"),
    path("feed/", views.feed, name="feed"),
    # Sharing a story and checking it with a receipt code: before the <slug> pattern.
    path("new/", share, name="new"),
    path("receipt/", receipt, name="receipt"),
    path("<slug:slug>/me-too/", views.me_too_press, name="me_too"),
    # Keep last: a story's slug could otherwise shadow the fixed paths above.
    path("<slug:slug>/", views.detail, name="detail"),
]
