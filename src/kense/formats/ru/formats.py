"""Russian formats: Django's own, with the time as kense.text.kazakh prints it («09:05»).

Everything not named here comes from django.conf.locale.ru.
"""

TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j E Y г. H:i"
