from django.urls import path

from confessions.digests import views

app_name = "digests"

urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("mine/<int:pk>/remove/", views.remove_mine, name="remove_mine"),
]
