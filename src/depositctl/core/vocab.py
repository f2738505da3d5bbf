"""The words a user picks from: one table per vocabulary, each term with its Chinese name.

Each vocabulary is ONE table of terms: the value the ledger stores and the CLI accepts,
the Chinese name the letters write, the English display label (marked for gettext, `""`
where the value is its own label) and, for some, what the rules need to know about the
term. Every other view (the tuple of values, a value -> name mapping, a set of channels)
is computed from the table, never typed again.

Plain Python, no pydantic: the CLI reads these to build `--help`, which should not pay
for importing the models (measured in benchmarks/README.md).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from depositctl.core.errors import N_
from depositctl.core.recordtype import field, record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Generic, TypeVar
else:
    from depositctl.core.hints import Generic, TypeVar


@record(kw_only=False)
class Term:
    """One word of a vocabulary: the value, its Chinese name, its English label."""

    value: str
    zh: str
    en: str = ""
    #: Short Chinese names also accepted on input (`首刷`, `消协`); never stored or printed.
    aliases: tuple[str, ...] = field(default=(), kw_only=True)

    @property
    def label(self) -> str:
        """The English display label (a gettext message id)."""
        return self.en or self.value

    @property
    def short(self) -> str:
        """The shorter of the Chinese name and the first alias, as help lists the term."""
        return min((self.zh, *self.aliases[:1]), key=len)


@record(kw_only=False)
class Channel(Term):
    """A way a contact was made, and what the rules know about it."""

    #: A written, provable demand on this channel interrupts limitation (民法典 195).
    written: bool = False
    #: A contact here counts as a complaint to the provider itself once it has a ticket
    #: number (PBoC rules Art. 35); `provider-complaint` always counts.
    provider: bool = False
    #: A body a complaint is lodged with (向…投诉), not a way of talking.
    body: bool = False


@record(kw_only=False)
class Outcome(Term):
    """A contact's outcome."""

    #: The other side has given its answer (the institution's time to answer is over).
    answered: bool = False


@record(kw_only=False)
class Recipient(Term):
    """Whom a letter is for."""

    #: The letter's title, and the name a bundle gives the letter file.
    title: str = ""
    #: The channel the letter is sent through: its follow-up rule sets the reply-by date.
    channel: str = ""
    #: The recipient usually asks for the complainant's ID number.
    needs_id_number: bool = False


@record(kw_only=False)
class Format(Term):
    """A letter's output format."""

    #: Text (written to stdout or a file) rather than a document (needs `-o FILE`).
    text: bool = False


T = TypeVar("T", bound=Term)


class Vocabulary(Generic[T]):
    """A vocabulary's terms, in the order help and output list them."""

    def __init__(self, *terms: T) -> None:
        self.terms: tuple[T, ...] = terms
        self._by_value = {t.value: t for t in terms}
        if len(self._by_value) != len(terms):
            raise ValueError("a value occurs twice in a vocabulary")
        #: The values, in order: what the ledger stores and the CLI accepts.
        self.values: tuple[str, ...] = tuple(t.value for t in terms)
        #: value -> Chinese name.
        self.zh: dict[str, str] = {t.value: t.zh for t in terms}
        self._words: dict[str, str] | None = None

    def words(self) -> dict[str, str]:
        """Every word accepted on input (value, Chinese name, aliases), normalized ->
        value; made on the first look-up (`status` reads none: a fifth of this module's
        import, issue 12). tests/test_vocab.py makes each vocabulary's."""
        if self._words is None:
            words: dict[str, str] = {}
            for t in self.terms:
                for word in (t.value, t.zh, *t.aliases):
                    if words.setdefault(normalize_word(word), t.value) != t.value:
                        raise ValueError(f"{word!r} names two terms of a vocabulary")
            self._words = words
        return self._words

    def __iter__(self) -> Iterator[T]:
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)

    def __contains__(self, value: object) -> bool:
        return value in self._by_value

    def __getitem__(self, value: str) -> T:
        return self._by_value[value]

    def get(self, value: str) -> T | None:
        return self._by_value.get(value)

    def zh_name(self, value: str) -> str:
        """The Chinese name; an unknown value is its own name."""
        term = self._by_value.get(value)
        return term.zh if term is not None else value

    def label(self, value: str) -> str:
        """The English label (a gettext message id); an unknown value is its own label."""
        term = self._by_value.get(value)
        return term.label if term is not None else value

    def find(self, text: str) -> str | None:
        """The value a typed word names (the value itself, the Chinese name or an alias,
        NFKC-normalized, ASCII case ignored); None if it names none."""
        return self.words().get(normalize_word(text))

    def choices_text(self) -> str:
        """`phone(电话), chat(在线客服), …`: the choices with their (short) Chinese names,
        for help and for the error on an unknown word."""
        return ", ".join(
            t.value if t.short == t.value else f"{t.value}({t.short})" for t in self.terms
        )


def normalize_word(text: str) -> str:
    """A typed word as the vocabularies compare it: NFKC (full-width letters and digits
    become ASCII), without surrounding blanks, ASCII letters in lower case."""
    if text.isascii():  # NFKC keeps ASCII as it is (the vocabularies' values, at import)
        return text.strip().lower()
    s = unicodedata.normalize("NFKC", text).strip()
    return "".join(ch.lower() if ch.isascii() else ch for ch in s)


PAYMENT_METHOD: Vocabulary[Term] = Vocabulary(
    Term("first-swipe", "从首笔刷卡交易中扣除（首刷扣押金）", aliases=("首刷", "首刷扣押金")),
    Term("wechat", "微信支付", aliases=("微信",)),
    Term("alipay", "支付宝"),
    Term("bank", "银行转账"),
    Term("cash", "现金"),
    Term("other", "其他方式", aliases=("其他", "其它")),
)

CHANNEL: Vocabulary[Channel] = Vocabulary(
    Channel("phone", "电话", N_("phone"), provider=True),
    Channel("chat", "在线客服", N_("online chat"), written=True, provider=True),
    Channel("wechat", "微信", N_("WeChat"), written=True),
    Channel("agent", "代理商/业务员", N_("sales agent"), aliases=("业务员", "代理商")),
    Channel(
        "email", "电子邮件", N_("email"), written=True, provider=True, aliases=("邮件", "邮箱")
    ),
    Channel("visit", "现场", N_("visit"), provider=True, aliases=("上门", "当面")),
    Channel(
        "provider-complaint",
        "支付机构投诉渠道",
        N_("provider's complaint channel"),
        written=True,
        provider=True,
        aliases=("支付机构投诉", "机构投诉"),
    ),
    Channel("12315", "全国12315平台", N_("12315"), written=True, body=True),
    Channel(
        "consumer-association",
        "消费者协会",
        N_("consumer association"),
        written=True,
        body=True,
        aliases=("消协", "消费者协会投诉"),
    ),
    Channel(
        "12363",
        "中国人民银行12363",
        N_("12363 (People's Bank of China)"),
        written=True,
        body=True,
        aliases=("人民银行", "人行"),
    ),
    Channel(
        "12315-report",
        "全国12315平台举报",
        N_("12315 report"),
        written=True,
        body=True,
        aliases=("12315举报", "举报"),
    ),
    Channel(
        "pcac",
        "中国支付清算协会",
        N_("Payment & Clearing Association of China"),
        written=True,
        body=True,
        aliases=("支付清算协会", "清算协会"),
    ),
    Channel("blackcat", "黑猫投诉", N_("Black Cat complaints"), written=True, aliases=("黑猫",)),
    Channel("lawyer", "律师", N_("lawyer"), written=True),
    Channel("court", "人民法院", N_("court"), written=True, aliases=("法院",)),
    Channel("other", "其他方式", N_("other"), aliases=("其他", "其它")),
)

OUTCOME: Vocabulary[Outcome] = Vocabulary(
    Outcome(
        "no-answer",
        "未接通或未回复",
        N_("no answer"),
        aliases=("未接通", "未回复", "没回复", "没接"),
    ),
    Outcome("promised", "对方承诺处理", N_("promised"), aliases=("承诺",)),
    Outcome("refused", "对方拒绝退还", N_("refused"), answered=True, aliases=("拒绝", "拒退")),
    Outcome("transferred", "对方推诿、转交他人处理", N_("transferred"), aliases=("转交", "推诿")),
    Outcome("accepted", "已受理", N_("accepted"), aliases=("受理",)),
    Outcome("rejected", "不予受理", N_("rejected"), answered=True),
    Outcome(
        "mediation-failed",
        "调解终止",
        N_("mediation failed"),
        answered=True,
        aliases=("调解失败", "终止调解"),
    ),
    Outcome("refund-promised", "承诺退款", N_("refund promised"), aliases=("答应退款",)),
    Outcome("resolved", "已解决", N_("resolved"), answered=True),
    Outcome("other", "其他", N_("other"), aliases=("其它",)),
)

EVIDENCE_KIND: Vocabulary[Term] = Vocabulary(
    Term("receipt", "付款凭证", aliases=("凭证", "收据", "小票")),
    Term("contract", "合同/协议", aliases=("合同", "协议")),
    Term("promise", "承诺记录", aliases=("承诺",)),
    Term("chat", "聊天记录", aliases=("聊天", "短信")),
    Term("call-recording", "通话录音", aliases=("录音",)),
    Term("statement", "交易流水", aliases=("流水", "对账单")),
    Term("ticket", "工单记录", aliases=("工单",)),
    Term("photo", "照片", aliases=("截图", "图片")),
    Term("letter", "函件", aliases=("快递单", "信函")),
    Term("other", "其他", aliases=("其它",)),
)

CLOSE_REASON: Vocabulary[Term] = Vocabulary(
    Term("written-off", "放弃", aliases=("不要了", "核销")),
    Term("withdrawn", "撤回", aliases=("撤销",)),
)

RECIPIENT: Vocabulary[Recipient] = Vocabulary(
    Recipient(
        "consumer-association",
        "消费者协会",
        title="消费者投诉书",
        channel="consumer-association",
        needs_id_number=True,
        aliases=("消协",),
    ),
    Recipient("12315", "全国12315平台", title="12315平台投诉内容", channel="12315"),
    Recipient(
        "12363",
        "中国人民银行12363",
        title="金融消费者投诉书",
        channel="12363",
        needs_id_number=True,
        aliases=("人民银行", "人行"),
    ),
    Recipient("provider", "支付机构", title="催告函", channel="provider-complaint"),
    Recipient(
        "12315-report",
        "全国12315平台举报",
        title="12315平台举报内容",
        channel="12315-report",
        aliases=("12315举报", "举报"),
    ),
    Recipient(
        "court",
        "人民法院",
        title="民事起诉状",
        channel="court",
        aliases=("法院", "人民法院"),
    ),
    Recipient(
        "pcac",
        "中国支付清算协会",
        title="关于收单外包服务机构的举报信",
        channel="pcac",
        aliases=("支付清算协会", "清算协会"),
    ),
)

#: How a letter went out (`sent --via`): the record a court accepts as delivery differs.
VIA: Vocabulary[Term] = Vocabulary(
    Term("ems", "EMS邮政特快专递", aliases=("特快专递", "邮政EMS")),
    Term("post", "挂号信", aliases=("邮寄", "信件")),
    Term("email", "电子邮件", aliases=("邮件", "邮箱")),
    Term("platform", "网上平台提交", aliases=("平台", "网上提交", "在线提交")),
    Term("in-person", "当面递交", aliases=("当面", "现场递交")),
)

FORMAT: Vocabulary[Format] = Vocabulary(
    Format("md", "Markdown文本", text=True),
    Format("txt", "纯文本", text=True),
    Format("docx", "Word文档"),
    Format("pdf", "PDF文档"),
)

# The values, as the rest of the code (and `--help`) uses them.
PAID_VIA = PAYMENT_METHOD.values
CHANNELS = CHANNEL.values
OUTCOMES = OUTCOME.values
EVIDENCE_KINDS = EVIDENCE_KIND.values
CLOSE_REASONS = CLOSE_REASON.values
RECIPIENTS = RECIPIENT.values
FORMATS = FORMAT.values
VIAS = VIA.values
TEXT_FORMATS = tuple(f.value for f in FORMAT if f.text)
FILE_FORMATS = tuple(f.value for f in FORMAT if not f.text)

#: Who actually took the deposit (`add --paid-to`), with the Chinese name letters and
#: `show` print: the one table of these words.
PAYEE: Vocabulary[Term] = Vocabulary(
    Term("institution", "机构", aliases=("支付机构",)),
    Term("agent-company", "代理商公司", aliases=("代理商", "服务商")),
    Term("salesperson", "业务员"),
)
PAID_TO_NAMES = PAYEE.zh
PAID_TO = PAYEE.values
#: What a recorded provider is (`provider set --kind`), with its Chinese name.
PROVIDER_KIND: Vocabulary[Term] = Vocabulary(
    Term("institution", "支付机构", aliases=("机构", "收单机构")),
    Term("agent-company", "代理商公司", aliases=("代理商", "服务商", "代理公司")),
)
#: The merchant's capacity (`profile set --capacity`; unset means individual), with its
#: Chinese name.
CAPACITY: Vocabulary[Term] = Vocabulary(
    Term("individual", "个人"),
    Term("individual-business", "个体工商户", aliases=("个体户", "个体")),
    Term("company", "企业", aliases=("公司",)),
)
CAPACITY_NAMES = CAPACITY.zh
CAPACITIES = CAPACITY.values
DEFAULT_CAPACITY = "individual"
