"""Weekday and month names that Django's own Kazakh catalogue gets wrong, named again here.

Django's kk catalogue abbreviates Monday as «Дб» and Tuesday as «Сб» (Saturday's), so a
calendar printed "Дб Сб Ср…"; and it capitalises the month inside a date («21 Сәуір»). The
msgids and contexts below are Django's own (django.utils.dates): declared here, they are in
Kense's catalogue, which is read before Django's (LOCALE_PATHS), so ``{{ day|date:"D" }}``
prints the abbreviations Kazakh calendars print (Дс Сс Ср Бс Жм Сн Жс) and ``date:"E"`` the
month as it is written in a Kazakh date (kense.formats.kk: «2020 ж. 21 сәуір»). Nothing imports
this module: it exists for ``makemessages``.
"""

from django.utils.translation import gettext_noop, pgettext_lazy

WEEKDAYS_ABBR = (
    gettext_noop("Mon"),
    gettext_noop("Tue"),
    gettext_noop("Wed"),
    gettext_noop("Thu"),
    gettext_noop("Fri"),
    gettext_noop("Sat"),
    gettext_noop("Sun"),
)

MONTHS_IN_DATE = (
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)
