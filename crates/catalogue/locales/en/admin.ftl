# Redress: what administrators read when they set the organisation up, in English.
