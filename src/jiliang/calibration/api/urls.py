"""URLs of the records API, mounted under ``/api/calibration/``."""

from rest_framework.routers import DefaultRouter

from jiliang.calibration.api import views

router = DefaultRouter()
router.register("records", views.RecordViewSet, basename="record")
urlpatterns = router.urls
