from django.urls import path

from events import views

app_name = "events"

# Fixed paths come before <slug>, which would otherwise take them.
urlpatterns = [
    path("", views.event_list, name="list"),
    path("past/", views.past_list, name="past"),
    path("mine/", views.mine, name="mine"),
    path("region/", views.choose_region, name="region"),
    path("feedback/<str:token>/", views.feedback, name="feedback"),
    path("reply/coming/<str:token>/", views.reply_coming, name="reply-coming"),
    path("reply/not-coming/<str:token>/", views.reply_not_coming, name="reply-not-coming"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/cancel/", views.cancel, name="cancel"),
    path("<slug:slug>/answers/", views.change_answers, name="answers"),
    path("<slug:slug>/calendar.ics", views.calendar, name="calendar"),
]
