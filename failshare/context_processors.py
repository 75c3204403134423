from django.conf import settings
from django.utils.html import format_html


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "SITE_OWNER": settings.SITE_OWNER,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
        # The contact link of templates/_contact.html as one value, for translated sentences to
        # place where their language needs it: "write to %(contact)s".
        "CONTACT_LINK": format_html(
            '<a href="mailto:{0}" class="break-words">{0}</a>', settings.CONTACT_EMAIL
        ),
    }
