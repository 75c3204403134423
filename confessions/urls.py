from django.urls import path

from confessions import views

app_name = "confessions"

urlpatterns = [
    path("", views.confession_list, name="list"),
    path("feed/", views.feed, name="feed"),
    # Sharing a story and checking it with a receipt code: before the <slug> pattern.
    path("new/", views.share, name="new"),
    path("receipt/", views.receipt, name="receipt"),
    path("<slug:slug>/me-too/", views.me_too_press, name="me_too"),
    # Keep last: a story's slug could otherwise shadow the fixed paths above.
    path("<slug:slug>/", views.detail, name="detail"),
]
