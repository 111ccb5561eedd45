"""Root URL configuration. Each domain app contributes ``urls`` (web) and ``api.urls`` (REST).

Web pages live under a language-neutral path; the language follows the browser
(``Accept-Language``) or the switch in the header (``/i18n/setlang/``).
"""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token

from jiliang.platform import views

# (url prefix, module) pairs for each domain's REST API and web pages.
API_MODULES: list[tuple[str, str]] = [
    ("registry/", "jiliang.registry.api.urls"),
    ("conformity/", "jiliang.calculators.conformity.api.urls"),
    ("intervals/", "jiliang.calculators.intervals.api.urls"),
    ("sampling/", "jiliang.calculators.sampling.api.urls"),
    ("uncertainty/", "jiliang.calculators.uncertainty.api_urls"),
    ("calibration/", "jiliang.calibration.api.urls"),
    ("traceability/", "jiliang.traceability.api.urls"),
    ("supervision/", "jiliang.supervision.api.urls"),
    ("certificates/", "jiliang.certificates.api.urls"),
]
WEB_MODULES: list[tuple[str, str]] = [
    ("registry/", "jiliang.registry.urls"),
    ("portal/", "jiliang.portal.urls"),
    ("calibration/", "jiliang.calibration.urls"),
    ("traceability/", "jiliang.traceability.urls"),
    ("conformity/", "jiliang.calculators.conformity.urls"),
    ("intervals/", "jiliang.calculators.intervals.urls"),
    ("sampling/", "jiliang.calculators.sampling.urls"),
    ("uncertainty/", "jiliang.calculators.uncertainty.urls"),
    ("supervision/", "jiliang.supervision.urls"),
    ("certificates/", "jiliang.certificates.urls"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/token/", obtain_auth_token, name="api-token"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("healthz", views.healthz, name="healthz"),
]
urlpatterns += [path(f"api/{prefix}", include(module)) for prefix, module in API_MODULES]
urlpatterns += [path(prefix, include(module)) for prefix, module in WEB_MODULES]
