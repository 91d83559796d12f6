"""The steps behind `builder.entities.find_entities`, one module each.

candidates: model spans -> clean name occurrences; grouping: occurrences -> one group per
real entity; typing: one type per group by vote; mentions: every place a group is named;
editorial: the user's `glossary.yml` on top. `names` holds what they share.
"""
