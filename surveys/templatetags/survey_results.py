"""The picture of a result (core.charts): bars for the shares of a question, the table beside it has the same numbers."""

from django import template
from django.utils.translation import gettext as _

from core.charts import bar_chart

register = template.Library()


@register.simple_tag
def shares_chart(shares, title):
    return bar_chart([(share.label, share.count) for share in shares], title=title, unit=_("Antworten"))


@register.simple_tag
def matrix_chart(items, title):
    return bar_chart(
        [(item.label, item.average or 0) for item in items], title=title, decimals=1, max_value=5, unit=_("von 5")
    )
