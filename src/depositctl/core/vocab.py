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

#: Who actually took the deposit (`add --paid-to`), with the Chinese name letters and
#: `show` print: the one table of these words.
PAID_TO_NAMES = {"institution": "机构", "agent-company": "代理商公司", "salesperson": "业务员"}
PAID_TO = tuple(PAID_TO_NAMES)
#: The merchant's capacity (`profile set --capacity`; unset means individual), with its
#: Chinese name.
CAPACITY_NAMES = {"individual": "个人", "individual-business": "个体工商户", "company": "企业"}
CAPACITIES = tuple(CAPACITY_NAMES)
DEFAULT_CAPACITY = "individual"
