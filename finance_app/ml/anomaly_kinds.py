"""The kinds of anomaly flag and their labels: light, so pages can name them without loading
the detection's pandas."""

from __future__ import annotations

MERCHANT_HIGH, NEW_MERCHANT, DUPLICATE = "merchant_high", "new_merchant", "duplicate"
CATEGORY_MONTH, FEE, AFTER_CANCEL = "category_month", "fee", "after_cancel"
ANOMALY_KINDS = (MERCHANT_HIGH, NEW_MERCHANT, DUPLICATE, CATEGORY_MONTH, FEE, AFTER_CANCEL)
ANOMALY_LABELS = {MERCHANT_HIGH: "Unusually high", NEW_MERCHANT: "New merchant",
                  DUPLICATE: "Possible duplicate", CATEGORY_MONTH: "Category month",
                  FEE: "Fee", AFTER_CANCEL: "After cancelling"}
