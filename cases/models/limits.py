"""Maximum lengths, in characters, of free texts: models and forms say the same.

A word-limited text may average ``CHARACTERS_PER_WORD`` characters a word; every other free
text has one of the two bounds. Nothing a person types is stored without a bound.
"""

CHARACTERS_PER_WORD = 25
LONG_TEXT_MAX = 20_000
SHORT_TEXT_MAX = 5_000
PASSWORD_MAX = 1_000
