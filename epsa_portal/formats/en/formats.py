"""Date formats of the portal in English: day first, as in European use ("1 May 2024").

Django's own English formats are American ("May 1, 2024"); a locale's format file wins over
the DATE_FORMAT settings, so the portal's formats live here (FORMAT_MODULE_PATH in settings).
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i T"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
