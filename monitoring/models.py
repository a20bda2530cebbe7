"""The Sozialmonitoring: indicators the coordination defines and their values per Quartier and year."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

FIRST_YEAR, LAST_YEAR = 1990, 2200
# What the value column holds: 11 digits before the comma, 3 after.
MAX_VALUE = 10**11 - 1


class Indicator(models.Model):
    name = models.CharField(
        _("Name"),
        max_length=120,
        unique=True,
        error_messages={"unique": _("Einen Indikator dieses Namens gibt es schon.")},
    )
    slug = models.SlugField(
        max_length=120,
        unique=True,
        error_messages={"unique": _("Diesen Kurznamen trägt schon ein anderer Indikator.")},
    )
    unit = models.CharField(_("Einheit"), max_length=40, blank=True, help_text=_("z. B. „Personen“ oder „%“"))
    description = models.TextField(_("Beschreibung"), max_length=2_000, blank=True)
    source = models.CharField(_("Quelle"), max_length=300, blank=True)
    decimals = models.PositiveSmallIntegerField(_("Nachkommastellen"), default=0, validators=[MaxValueValidator(3)])
    is_example = models.BooleanField(
        _("Beispielwerte"),
        default=False,
        help_text=_("Für erfundene Werte (Demo, Schulung): die Seiten sagen es dann deutlich dazu."),
    )
    sort_order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Indikator")
        verbose_name_plural = _("Indikatoren")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return f"{self.name} ({self.unit})" if self.unit else self.name

    def get_absolute_url(self):
        return reverse("monitoring:indicator_detail", args=[self.slug])


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    district = models.ForeignKey(
        "network.District", verbose_name=_("Quartier"), on_delete=models.CASCADE, related_name="indicator_values"
    )
    year = models.PositiveSmallIntegerField(
        _("Jahr"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    value = models.DecimalField(_("Wert"), max_digits=14, decimal_places=3)

    class Meta:
        verbose_name = _("Indikatorwert")
        verbose_name_plural = _("Indikatorwerte")
        ordering = ["indicator", "district", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "district", "year"], name="one_value_per_district_and_year")
        ]

    def __str__(self):
        return f"{self.indicator.name}, {self.district.name} {self.year}: {self.value}"
