"""Respondents: the payment institution and the agent company a letter names (issue 9).

Pure: no I/O. A provider is recorded once under its full legal name and serves every
case naming it; aliases (brand or short names) resolve to it. The package ships no
provider data as fact (LEGAL.md: hotlines and codes are unverified), the user records it.

Credit codes (GB 32100-2015) and ID numbers (GB 11643) are checked with python-stdnum,
imported inside the functions: `stdnum.util` costs ~70 ms (pydoc, pkgutil), which
`--help` and commands that check nothing should not pay.
"""

from __future__ import annotations

import re
import shlex
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from depositctl.core.errors import N_, UserError
from depositctl.core.inputs import check_text, clean_text, parse_choice
from depositctl.core.vocab import PROVIDER_KIND

ProviderKind = Literal["institution", "agent-company"]
#: `institution`: the licensed payment institution or bank that issued the terminal and
#: holds the merchant contract; `agent-company`: the 代理商/服务商 company that sold it.
PROVIDER_KINDS: tuple[ProviderKind, ...] = ("institution", "agent-company")
KIND_LABELS = {"institution": N_("payment institution"), "agent-company": N_("agent company")}
#: The columns of a provider besides its name and aliases, in display order.
PROVIDER_FIELDS = ("kind", "credit_code", "address", "licence", "hotline", "email")

#: Endings of a Chinese legal entity's registered name. A name ending otherwise (拉卡拉,
#: 智慧u米, 收钱吧) is a brand or an app, which no regulator or court can act against.
#: - companies (公司法): 股份有限公司, 有限责任公司, 有限公司 — all end in 公司, as do
#:   branches (分公司);
#: - bank legal names and their branches: 银行, 分行, 支行; credit cooperatives: 合作社,
#:   信用社, 联社;
#: - enterprise groups: 集团; partnerships and sole proprietorships: 企业 (合伙企业,
#:   个人独资企业), 事务所 (law and accounting firms);
#: - public institutions and individual businesses (个体工商户), whose registered names
#:   end in a shop or works word: 中心, 厂, 店, 商行, 经营部, 门市部, 工作室, 商店;
#: - registered names in English: Co., Ltd., Limited, Inc., Corp(oration), LLC, PLC.
#: A trailing parenthesis (（有限合伙）, （北京）) is ignored.
LEGAL_NAME_ENDINGS = (
    "公司",
    "银行",
    "分行",
    "支行",
    "合作社",
    "信用社",
    "联社",
    "集团",
    "企业",
    "事务所",
    "中心",
    "厂",
    "店",
    "商行",
    "经营部",
    "门市部",
    "工作室",
)
_LATIN_ENDINGS = re.compile(
    r"(?:\bco\.?|\bltd\.?|\blimited|\binc\.?|\bcorp\.?|\bcorporation|\bllc|\bplc)$", re.I
)
_TRAILING_PAREN = re.compile(r"\s*\([^()]*\)$")


@dataclass(frozen=True)
class Provider:
    """A respondent as the ledger records it."""

    name: str
    credit_code: str | None = None
    address: str | None = None
    licence: str | None = None
    hotline: str | None = None
    email: str | None = None
    aliases: tuple[str, ...] = ()
    kind: ProviderKind = "institution"


@dataclass(frozen=True)
class ProviderUpdate:
    """`provider set`: the legal name, the fields given (None clears one), aliases to add
    and to remove. Build it with `provider_update`, which checks every value."""

    name: str
    fields: Mapping[str, str | None] = field(default_factory=dict)
    add_aliases: tuple[str, ...] = ()
    remove_aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class BrandWarning:
    """The warning for a provider name that is not a legal name, with the command that
    fixes it (same shape as `render.letters.Notice`: translate `text`, format `params`)."""

    code: str
    text: str
    params: dict[str, Any]


def name_key(text: str) -> str:
    """What two spellings of one name share: NFKC (full-width letters and brackets),
    no whitespace, case folded."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def looks_like_legal_name(name: str) -> bool:
    """True if `name` ends in a company form (`LEGAL_NAME_ENDINGS`)."""
    s = unicodedata.normalize("NFKC", name).strip()
    s = _TRAILING_PAREN.sub("", s).strip()
    return s.endswith(LEGAL_NAME_ENDINGS) or bool(_LATIN_ENDINGS.search(s))


def brand_warning(typed: str) -> BrandWarning:
    """The warning for `add --provider TYPED` where TYPED is not a legal name."""
    return BrandWarning(
        code="brand-name",
        text=N_(
            "{name} is not a company's legal name (it has no company form such as 公司 at "
            "the end); letters must name the legal entity. Record it once: "
            "depositctl provider set '<legal name>' --alias {alias}"
        ),
        params={"name": typed, "alias": shell_word(typed)},
    )


_PLAIN_WORD = re.compile(r"[^\s'\"\\$`!*?;&|<>(){}\[\]#~=%]+")


def shell_word(text: str) -> str:
    """`text` as one shell word: as typed when it is safe (拉卡拉), else quoted."""
    return text if _PLAIN_WORD.fullmatch(text) else shlex.quote(text)


def resolve_provider(text: str, providers: Iterable[Provider]) -> tuple[str, bool]:
    """The legal name `text` stands for, and whether it was found as an alias.

    A recorded legal name (however spaced or full-width) gives the name as recorded; an
    alias gives its provider's name; anything else comes back cleaned, as typed.
    """
    cleaned = clean_text(text) or ""
    key = name_key(cleaned)
    found = list(providers)
    for p in found:
        if name_key(p.name) == key:
            return p.name, False
    for p in found:
        if any(name_key(a) == key for a in p.aliases):
            return p.name, True
    return cleaned, False


def provider_warning(text: str, providers: Iterable[Provider]) -> BrandWarning | None:
    """The brand-name warning for `add --provider TEXT`, or None: a recorded name or
    alias was chosen by the user, and a legal-looking name needs no warning."""
    found = list(providers)
    name, from_alias = resolve_provider(text, found)
    if from_alias or any(p.name == name for p in found) or looks_like_legal_name(name):
        return None
    return brand_warning(clean_text(text) or text)


def check_role(key: str, name: str, provider: Provider | None) -> None:
    """Refuse `--provider` (key `provider`) naming a recorded agent company, and
    `--agent-company` (key `agent_company`) naming a recorded payment institution: the
    letters would call each what it is not."""
    if provider is None:
        return
    if key == "provider" and provider.kind == "agent-company":
        raise UserError(
            N_(
                "{name} is recorded as an agent company: give it with --agent-company and "
                "name the payment institution with --provider"
            ),
            name=name,
        )
    if key == "agent_company" and provider.kind == "institution":
        raise UserError(
            N_(
                "{name} is recorded as a payment institution: give it with --provider and "
                "name the agent company with --agent-company"
            ),
            name=name,
        )


def check_distinct(provider: str | None, agent_company: str | None) -> None:
    """Refuse a case whose agent company is its payment institution (one legal name)."""
    if provider and agent_company and name_key(provider) == name_key(agent_company):
        raise UserError(
            N_(
                "{name} is the case's payment institution (--provider): give the company that "
                "sold the terminal with --agent-company"
            ),
            name=agent_company,
        )


def paid_to_warning(paid_to: str | None, agent_company: str | None) -> BrandWarning | None:
    """The warning for a deposit paid to the agent company on a case naming none."""
    if paid_to != "agent-company" or agent_company:
        return None
    return BrandWarning(
        code="paid-to-no-agent",
        text=N_(
            "the deposit was paid to the agent company but the case names none; "
            "give its legal name with --agent-company"
        ),
        params={},
    )


def check_business_licence(text: str) -> str:
    """A business licence number: a unified social credit code (checked as
    `check_credit_code`) or an old 15-digit registration number (营业执照注册号), compact;
    else a one-line UserError naming both forms."""
    s = "".join(unicodedata.normalize("NFKC", text).split()).replace("-", "").upper()
    if len(s) == 15 and s.isascii() and s.isdigit():
        return s
    try:
        return check_credit_code(s)
    except UserError:
        raise UserError(
            N_(
                "Not a business licence number: {text} (give the unified social credit code, "
                "18 characters with a valid check digit, or the old registration number, "
                "15 digits)"
            ),
            text=text,
        ) from None


def credit_code_key(code: str) -> str:
    """What two spellings of one credit code share: NFKC, no spaces or hyphens, upper case."""
    return "".join(unicodedata.normalize("NFKC", code).split()).replace("-", "").upper()


# -- checking values ------------------------------------------------------------------------
def check_credit_code(text: str) -> str:
    """A unified social credit code (统一社会信用代码), compact and upper case, or a
    one-line UserError naming what is wrong (length, characters, check digit)."""
    from stdnum.cn import uscc
    from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError

    s = unicodedata.normalize("NFKC", text).strip()
    try:
        return str(uscc.validate(s))
    except InvalidLength:
        raise UserError(
            N_(
                "Not a unified social credit code: {text} has {length} characters, a credit "
                "code has 18"
            ),
            text=text,
            length=len(uscc.compact(s)),
        ) from None
    except InvalidChecksum:
        raise UserError(
            N_(
                "The credit code {text} has a wrong check digit (GB 32100-2015): a character "
                "is mistyped; copy it again from the business licence"
            ),
            text=text,
        ) from None
    except ValidationError:
        raise UserError(
            N_(
                "Not a unified social credit code: {text} (8 digits, then 10 digits or capital "
                "letters other than I, O, S, V, Z)"
            ),
            text=text,
        ) from None


def check_id_number(text: str) -> str:
    """A resident identity card number (居民身份证号码), compact, or a one-line
    UserError naming what is wrong (length, characters, check digit, date or region)."""
    from stdnum.cn import ric
    from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength

    s = unicodedata.normalize("NFKC", text).strip()
    try:
        return str(ric.validate(s))
    except InvalidLength:
        raise UserError(
            N_("Not an ID card number: {text} has {length} characters, an ID number has 18"),
            text=text,
            length=len(ric.compact(s)),
        ) from None
    except InvalidChecksum:
        raise UserError(
            N_(
                "The ID number {text} has a wrong check digit: a digit is mistyped; copy it "
                "again from the ID card"
            ),
            text=text,
        ) from None
    except InvalidFormat:
        raise UserError(
            N_("Not an ID card number: {text} (17 digits, then a digit or X)"), text=text
        ) from None
    except ValueError:  # InvalidComponent: no such birth date or region code
        raise UserError(
            N_("Not an ID card number: {text} (its birth date or region code does not exist)"),
            text=text,
        ) from None


_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-/,、;转]*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


def check_hotline(text: str) -> str:
    """A phone number or several (95016 / 400-666-1234, 0571-88886666转2)."""
    s = unicodedata.normalize("NFKC", text).strip()
    if not _PHONE.match(s) or sum(c.isdigit() for c in s) < 3:
        raise UserError(
            N_("Not a phone number: {text} (digits, with - or spaces; several separated by /)"),
            text=text,
        )
    return s


def check_email(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).strip()
    if not _EMAIL.match(s):
        raise UserError(N_("Not an email address: {text}"), text=text)
    return s


def provider_update(
    name: str,
    *,
    credit_code: str | None = None,
    address: str | None = None,
    licence: str | None = None,
    hotline: str | None = None,
    email: str | None = None,
    kind: str | None = None,
    aliases: Sequence[str] = (),
    remove_aliases: Sequence[str] = (),
) -> ProviderUpdate:
    """`provider set`'s options, each checked on its own (None: not given; an empty
    text clears the field)."""
    legal = clean_text(name)
    if legal is None:
        raise UserError(N_("A provider needs its full legal name"))
    check_text(legal, "name")
    fields: dict[str, str | None] = {}
    checks = {"credit_code": check_credit_code, "hotline": check_hotline, "email": check_email}
    for key, raw in (
        ("credit_code", credit_code),
        ("address", address),
        ("licence", licence),
        ("hotline", hotline),
        ("email", email),
    ):
        if raw is None:
            continue
        value = clean_text(raw)
        if value is not None:
            check_text(value, key)
        fields[key] = checks[key](value) if value is not None and key in checks else value
    if kind is not None:
        fields["kind"] = parse_choice(kind, PROVIDER_KIND, N_("provider kind"))

    def alias_list(values: Sequence[str], option: str) -> tuple[str, ...]:
        out: list[str] = []
        for raw in values:
            value = clean_text(raw)
            if value is None:
                raise UserError(N_("{option} needs a name"), option=option)
            check_text(value, option.lstrip("-"))
            out.append(unicodedata.normalize("NFKC", value))
        return tuple(out)

    return ProviderUpdate(
        name=legal,
        fields=fields,
        add_aliases=alias_list(aliases, "--alias"),
        remove_aliases=alias_list(remove_aliases, "--remove-alias"),
    )


def apply_update(providers: Sequence[Provider], update: ProviderUpdate) -> Provider:
    """The provider `update` makes, checked against every recorded provider: an alias
    belongs to one provider only and is never another provider's legal name."""
    key = name_key(update.name)
    current = next((p for p in providers if name_key(p.name) == key), None)
    others = [p for p in providers if p is not current]
    for p in others:
        if any(name_key(a) == key for a in p.aliases):
            raise UserError(
                N_(
                    "{name} is an alias of {provider}; to change that provider, name it: "
                    "depositctl provider set '{provider}' …"
                ),
                name=update.name,
                provider=p.name,
            )
    base = current or Provider(name=update.name)
    aliases = list(base.aliases)
    for alias in update.remove_aliases:
        match = [a for a in aliases if name_key(a) == name_key(alias)]
        if not match:
            raise UserError(
                N_("{alias} is not an alias of {provider}"), alias=alias, provider=base.name
            )
        aliases = [a for a in aliases if a not in match]
    for alias in update.add_aliases:
        akey = name_key(alias)
        if akey == name_key(base.name):
            raise UserError(N_("{alias} is the legal name itself, not an alias"), alias=alias)
        for p in others:
            if name_key(p.name) == akey:
                raise UserError(
                    N_("{alias} is the legal name of another provider, it cannot be an alias"),
                    alias=alias,
                )
            if any(name_key(a) == akey for a in p.aliases):
                raise UserError(
                    N_(
                        "{alias} is already an alias of {provider} (remove it there first: "
                        "depositctl provider set '{provider}' --remove-alias {alias})"
                    ),
                    alias=shell_word(alias),
                    provider=p.name,
                )
        if all(name_key(a) != akey for a in aliases):
            aliases.append(alias)
    new = replace(base, aliases=tuple(aliases), **dict(update.fields))  # type: ignore[arg-type]
    if new.kind == "agent-company" and new.licence:
        raise UserError(
            N_(
                "An agent company holds no payment licence: --licence is for the institution "
                "(clear it with --licence '' to make this an agent company)"
            )
        )
    return new
