"""URLs of the registry API, mounted under ``/api/registry/``."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from jiliang.registry.api import views

router = DefaultRouter()
router.register("areas", views.MeasurementAreaViewSet, basename="area")
router.register("districts", views.DistrictViewSet, basename="district")
router.register("specifications", views.TechnicalSpecificationViewSet, basename="specification")
router.register("categories", views.InstrumentCategoryViewSet, basename="category")
router.register("institutions", views.InstitutionViewSet, basename="institution")
router.register("authorisations", views.AuthorisationViewSet, basename="authorisation")
router.register("people", views.PersonViewSet, basename="person")
router.register("standards", views.MeasurementStandardViewSet, basename="standard")
router.register("reference-materials", views.ReferenceMaterialViewSet, basename="reference-material")
router.register("instruments", views.InstrumentViewSet, basename="instrument")

urlpatterns = [
    path("lookup/", views.InstrumentLookupView.as_view(), name="instrument-lookup"),
    *router.urls,
]
