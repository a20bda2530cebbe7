from django.conf import settings
from django.conf.urls.static import static
from django.contrib.staticfiles.urls import staticfiles_urlpatterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import views as cms_views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("konto/", include("allauth.urls")),
    path("netzwerk/", include("network.urls")),
    path("mitteilungen/", include("notices.urls")),
    path("suche/", cms_views.search, name="search"),
    path("veranstaltungen/", include("cms.urls")),
    path("forum/", include("forum.urls")),
    path("sitzungen/", include("meetings.urls")),
    path("protokolle/", include("minutes.urls")),
    path("ablage/", include("documents.urls")),
    path("newsletter/", include("newsletter.urls")),
    path("sozialplanung/", include("planning.urls")),
    path("jahresbericht/", include("reports.urls")),
    path("sozialmonitoring/", include("monitoring.urls")),
    path("umfragen/", include("surveys.urls")),
    path("feedback/", include("surveys.feedback_urls")),
]

if settings.DEBUG:
    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
