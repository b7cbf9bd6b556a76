"""Kense's own date and number formats (settings.FORMAT_MODULE_PATH).

Django ships no Kazakh formats, so ``{{ day|date }}`` printed the English «Сәуір 21, 2020» and
``filesizeformat`` «36.1 КБ» on Kazakh pages. These modules make Django's formats say what
:mod:`kense.text.kazakh` says (kk «2020 ж. 21 сәуір», «36,1 КБ»; ru «21 апреля 2020 г. 14:30»),
so a date or a number reads the same whichever of the two printed it.
"""
