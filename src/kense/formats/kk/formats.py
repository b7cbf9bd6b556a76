"""Kazakh formats: the dates of official documents («2020 ж. 21 сәуір»), decimal comma.

"E" is the month name inside a date; Kense's catalogue gives it in lower case for kk (see
kense.core.calendar_names), as a month is written in the middle of a Kazakh date. Letters
outside ASCII are not format characters, so «ж.» needs no escaping.
"""

DATE_FORMAT = "Y ж. j E"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "Y ж. j E H:i"
YEAR_MONTH_FORMAT = "Y ж. E"
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2020-04-21', what a date input sends
    "%d.%m.%Y",  # '21.04.2020'
    "%d.%m.%y",  # '21.04.20'
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",  # what a datetime-local input sends
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%y %H:%M",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # no-break space
NUMBER_GROUPING = 3
