from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from failshare import metrics, operator, views

# The admin login goes through allauth so it shares allauth's rate limits.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "failshare administration"
admin.site.site_title = "failshare admin"
admin.site.index_title = "Moderation and events"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("privacy/", views.privacy, name="privacy"),
    path("confessions/", include("confessions.urls")),
    path("events/", include("events.urls")),
    path("tags/<slug:slug>/", views.tag_detail, name="tag"),
    path("accounts/", include("allauth.urls")),
    path(
        f"{settings.ADMIN_URL}operator/",
        admin.site.admin_view(operator.operator_page),
        name="operator",
    ),
    path(settings.ADMIN_URL, admin.site.urls),
]

handler500 = "failshare.views.server_error"
