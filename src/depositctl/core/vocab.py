"""The words a user picks from (payment methods, channels, outcomes, evidence kinds).

Plain tuples, no pydantic: the CLI reads them to build `--help`, which should not pay
for importing the models (measured in benchmarks/README.md).
"""

PAID_VIA = ("first-swipe", "wechat", "alipay", "bank", "cash", "other")
CHANNELS = (
    "phone",
    "chat",
    "wechat",
    "agent",
    "email",
    "visit",
    "provider-complaint",
    "12315",
    "consumer-association",
    "12363",
    "blackcat",
    "lawyer",
    "court",
    "other",
)
OUTCOMES = (
    "no-answer",
    "promised",
    "refused",
    "transferred",
    "accepted",
    "rejected",
    "resolved",
    "other",
)
EVIDENCE_KINDS = (
    "receipt",
    "contract",
    "promise",
    "chat",
    "call-recording",
    "statement",
    "ticket",
    "photo",
    "letter",
    "other",
)
CLOSE_REASONS = ("written-off", "withdrawn")
