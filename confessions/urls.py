from django.urls import path

from confessions import conversation_views, views

app_name = "confessions"

urlpatterns = [
    path("", views.confession_list, name="list"),
    path("feed/", views.feed, name="feed"),
    # Sharing a story and checking it with a receipt code: before the <slug> pattern.
    path("new/", views.share, name="new"),
    path("receipt/", views.receipt, name="receipt"),
    path("<slug:slug>/me-too/", views.me_too_press, name="me_too"),
    path("<slug:slug>/respond/", conversation_views.respond, name="respond"),
    path("<slug:slug>/report/", conversation_views.report, name="report"),
    path("<slug:slug>/responses/feed/", views.responses_feed, name="responses_feed"),
    path(
        "<slug:slug>/responses/<int:response_id>/helped/",
        conversation_views.helped,
        name="helped",
    ),
    path(
        "<slug:slug>/responses/<int:response_id>/report/",
        conversation_views.report,
        name="report_response",
    ),
    # Keep last: a story's slug could otherwise shadow the fixed paths above.
    path("<slug:slug>/", views.detail, name="detail"),
]
