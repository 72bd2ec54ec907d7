"""Date and time formats per language, found through FORMAT_MODULE_PATH.

One way of writing dates everywhere: templates print `|date:"DATE_FORMAT"` or
`|date:"DATETIME_FORMAT"` and Python calls `django.utils.formats.date_format`, and the
language that LocaleMiddleware picks from Accept-Language chooses the pattern.
English without a region, or with any region but the US (and a browser that sends no
Accept-Language), is written day-month-year with the month's name, which no reader can
misread: "7 Dec 2026, 17:30". en-US is written "Dec 7, 2026, 5:30 PM".
Times never end in "p.m.", so a sentence that ends with one has a single full stop.
"""
