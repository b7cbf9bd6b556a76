import simple_history
from modeltranslation.translator import TranslationOptions, translator

from kense.indicators.models import (
    Indicator,
    IndicatorValue,
    Methodology,
    Report,
    ReportForm,
    Target,
)

translator.register(Indicator, TranslationOptions, fields=("name", "unit"))
translator.register(ReportForm, TranslationOptions, fields=("name",))
translator.register(Methodology, TranslationOptions, fields=("name", "description"))

simple_history.register(Indicator)
simple_history.register(ReportForm, m2m_fields=["indicators"])
simple_history.register(Methodology)
for model in (IndicatorValue, Report, Target):
    simple_history.register(model)
