"""Django admin for every registry model (administrators' back office)."""

from django.contrib import admin

from jiliang.registry import models


@admin.register(models.MeasurementArea)
class MeasurementAreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en", "order")


@admin.register(models.District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en")


@admin.register(models.TechnicalSpecification)
class TechnicalSpecificationAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "kind", "area", "default_interval_months")
    list_filter = ("kind", "area")
    search_fields = ("code", "title")


@admin.register(models.InstrumentCategory)
class InstrumentCategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "area", "compulsory_verification", "verification_form")
    list_filter = ("compulsory_verification", "verification_form", "area")
    search_fields = ("code", "name_zh", "name_en")


class AuthorisationInline(admin.TabularInline):
    model = models.Authorisation
    extra = 0
    autocomplete_fields = ("category", "specification")


@admin.register(models.Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "credit_code", "district", "cnas_number")
    list_filter = ("kind", "district")
    search_fields = ("name", "credit_code", "cnas_number")
    inlines = [AuthorisationInline]


@admin.register(models.Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "institution", "role", "metrologist_level", "registration_number")
    list_filter = ("role", "metrologist_level")
    search_fields = ("name", "registration_number")
    autocomplete_fields = ("institution", "user", "authorised_categories")


@admin.register(models.MeasurementStandard)
class MeasurementStandardAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "owner", "area", "certificate_number", "status")
    list_filter = ("level", "status", "area")
    search_fields = ("name", "certificate_number", "quantity")
    autocomplete_fields = ("owner",)


@admin.register(models.ReferenceMaterial)
class ReferenceMaterialAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "producer", "property", "certified_value", "unit", "expiry")
    search_fields = ("number", "name", "property")
    autocomplete_fields = ("producer",)


@admin.register(models.Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ("serial_number", "manufacturer", "model", "category", "owner", "status", "next_due")
    list_filter = ("status", "category", "district")
    search_fields = ("serial_number",)
    list_select_related = ("category", "owner")
    autocomplete_fields = ("owner",)
    raw_id_fields = ("category",)
