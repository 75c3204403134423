from django.urls import path

from confessions import views
from confessions.submit_views import receipt, share

app_name = "confessions"

urlpatterns = [
    # Sharing a story and checking it with a receipt code: before the <slug> pattern.
    path("new/", share, name="new"),
    path("receipt/", receipt, name="receipt"),
    path("<slug:slug>/", views.detail, name="detail"),
]
