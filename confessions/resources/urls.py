from django.urls import path

from confessions.resources import views

app_name = "resources"

urlpatterns = [
    path("", views.resource_list, name="list"),
    path("suggest/", views.suggest, name="suggest"),
]
