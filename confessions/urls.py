from django.urls import path

from confessions import views

app_name = "confessions"

urlpatterns = [
    path("<slug:slug>/", views.detail, name="detail"),
]
