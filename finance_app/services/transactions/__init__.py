"""The transaction aggregate: records, search, bulk edits, splits, transfers, tags,
attachments, saved views.
"""
