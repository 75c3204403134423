from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from confessions.views import insights
from failshare import languages, metrics, operator, views

# The admin login goes through allauth so it shares allauth's rate limits.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "failshare administration"
admin.site.site_title = "failshare admin"
admin.site.index_title = "Moderation and events"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("language/<str:code>/", languages.switch_language, name="switch_language"),
    path("api/", include("confessions.api.urls")),
    path(
        f"{settings.ADMIN_URL}operator/",
        admin.site.admin_view(operator.operator_page),
        name="operator",
    ),
    path(settings.ADMIN_URL, admin.site.urls),
]
# The pages people read, in English at their addresses and in Welsh under /cy/.
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("confessions/", include("confessions.urls")),
    path("insights/", insights, name="insights"),
    path("events/", include("events.urls")),
    path("subscriptions/", include("confessions.digests.urls")),
    path("resources/", include("confessions.resources.urls")),
    path("tags/<slug:slug>/", views.tag_detail, name="tag"),
    path("accounts/delete/", views.delete_own_account, name="account_delete"),
    path("accounts/", include("allauth.urls")),
    prefix_default_language=False,
)

handler500 = "failshare.views.server_error"
