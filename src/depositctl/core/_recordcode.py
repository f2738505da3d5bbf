"""The compiled `__init__` of each record (core/recordtype.py) and its `builder`, keyed
by its text: a 5-case `status` compiled ~25 of them, ~6 ms (issue 12). Written by
`make record-code` (tests/test_recordtype.py checks it is fresh); a record whose
text is not here compiles its own."""

# mypy: ignore-errors
# ruff: noqa


def _0(self, *, case, progress, contacts, evidence, refunds, history, voided):
    self.case = case
    self.progress = progress
    self.contacts = contacts
    self.evidence = evidence
    self.refunds = refunds
    self.history = history
    self.voided = voided


def _1(
    self,
    *,
    channel,
    verdict,
    reason,
    params,
    basis,
    citation,
    opens_on,
    used_on,
    outcome,
    action,
    note,
):
    self.channel = channel
    self.verdict = verdict
    self.reason = reason
    self.params = _d_params() if params is _F else params
    self.basis = basis
    self.citation = citation
    self.opens_on = opens_on
    self.used_on = used_on
    self.outcome = outcome
    self.action = action
    self.note = note


def _2(self, *, checked_on, limitation_warning_days, sources, rules, channels, letters):
    self.checked_on = checked_on
    self.limitation_warning_days = limitation_warning_days
    self.sources = _d_sources() if sources is _F else sources
    self.rules = rules
    self.channels = _d_channels() if channels is _F else channels
    self.letters = _d_letters() if letters is _F else letters


def _3(self, *, code, text, params, estimate):
    self.code = code
    self.text = text
    self.params = _d_params() if params is _F else params
    self.estimate = estimate


def _4(
    self,
    *,
    facts,
    today,
    state,
    refunded,
    outstanding,
    progress_volume,
    progress_count,
    condition_deadline,
    condition_met_on,
    condition_met_basis,
    trigger_on,
    trigger_basis,
    refund_due,
    days_overdue,
    follow_ups,
    open_follow_up,
    limitation,
    limitation_restart,
    limitation_warning,
    limitation_if_demanded_today,
    next_action,
    next_deadline,
):
    self.facts = facts
    self.today = today
    self.state = state
    self.refunded = refunded
    self.outstanding = outstanding
    self.progress_volume = progress_volume
    self.progress_count = progress_count
    self.condition_deadline = condition_deadline
    self.condition_met_on = condition_met_on
    self.condition_met_basis = condition_met_basis
    self.trigger_on = trigger_on
    self.trigger_basis = trigger_basis
    self.refund_due = refund_due
    self.days_overdue = days_overdue
    self.follow_ups = follow_ups
    self.open_follow_up = open_follow_up
    self.limitation = limitation
    self.limitation_restart = limitation_restart
    self.limitation_warning = limitation_warning
    self.limitation_if_demanded_today = limitation_if_demanded_today
    self.next_action = next_action
    self.next_deadline = next_deadline


def _5(self, *, id, case_id, at, action, by, changes):
    self.id = id
    self.case_id = case_id
    self.at = at
    self.action = action
    self.by = by
    self.changes = _d_changes() if changes is _F else changes


def _6(self, *, id, case_id, on, amount, note, label, void_reason):
    self.id = id
    self.case_id = case_id
    self.on = on
    self.amount = amount
    self.note = note
    self.label = label
    self.void_reason = void_reason


def _7(
    self,
    *,
    id,
    case_id,
    on,
    at_time,
    channel,
    to,
    ticket,
    outcome,
    promised_by,
    summary,
    refund_request,
    incoming,
    reason,
    letter,
    via,
    tracking,
    delivered_on,
    ledger_head,
    label,
    void_reason,
):
    self.id = id
    self.case_id = case_id
    self.on = on
    self.at_time = at_time
    self.channel = channel
    self.to = to
    self.ticket = ticket
    self.outcome = outcome
    self.promised_by = promised_by
    self.summary = summary
    self.refund_request = refund_request
    self.incoming = incoming
    self.reason = reason
    self.letter = letter
    self.via = via
    self.tracking = tracking
    self.delivered_on = delivered_on
    self.ledger_head = ledger_head
    self.label = label
    self.void_reason = void_reason


def _8(self, *, id, case_id, on, volume, count, source, note, label, void_reason):
    self.id = id
    self.case_id = case_id
    self.on = on
    self.volume = volume
    self.count = count
    self.source = source
    self.note = note
    self.label = label
    self.void_reason = void_reason


def _9(
    self,
    *,
    id,
    case_id,
    sha256,
    name,
    size,
    kind,
    added_on,
    note,
    contact_id,
    dated_on,
    label,
    void_reason,
):
    self.id = id
    self.case_id = case_id
    self.sha256 = sha256
    self.name = name
    self.size = size
    self.kind = kind
    self.added_on = added_on
    self.note = note
    self.contact_id = contact_id
    self.dated_on = dated_on
    self.label = label
    self.void_reason = void_reason


def _10(self, *, id, law, article, source, days, workdays, years, yuan, zh, en):
    self.id = id
    self.law = law
    self.article = article
    self.source = source
    self.days = days
    self.workdays = workdays
    self.years = years
    self.yuan = yuan
    self.zh = zh
    self.en = en


def _11(
    self,
    *,
    id,
    provider,
    amount,
    paid_on,
    brand,
    model,
    serial,
    merchant_no,
    paid_via,
    agent_name,
    agent_phone,
    activated_on,
    condition,
    refund_within,
    promised_refund_on,
    condition_text,
    note,
    met_on,
    returned_on,
    closed_on,
    close_reason,
    agent_company,
    paid_to,
):
    self.id = id
    self.provider = provider
    self.amount = amount
    self.paid_on = paid_on
    self.brand = brand
    self.model = model
    self.serial = serial
    self.merchant_no = merchant_no
    self.paid_via = paid_via
    self.agent_name = agent_name
    self.agent_phone = agent_phone
    self.activated_on = activated_on
    self.condition = condition
    self.refund_within = refund_within
    self.promised_refund_on = promised_refund_on
    self.condition_text = condition_text
    self.note = note
    self.met_on = met_on
    self.returned_on = returned_on
    self.closed_on = closed_on
    self.close_reason = close_reason
    self.agent_company = agent_company
    self.paid_to = paid_to


def _12(self, *, kind, on, basis, estimate, is_default, contact_id, provisional):
    self.kind = kind
    self.on = on
    self.basis = basis
    self.estimate = estimate
    self.is_default = is_default
    self.contact_id = contact_id
    self.provisional = provisional


def _13(self, *, n, unit):
    self.n = n
    self.unit = unit
    self.__post_init__()


def _14(
    self,
    *,
    name,
    phone,
    address,
    postcode,
    id_number,
    email,
    capacity,
    business_name,
    business_licence,
    payee_account,
):
    self.name = name
    self.phone = phone
    self.address = address
    self.postcode = postcode
    self.id_number = id_number
    self.email = email
    self.capacity = capacity
    self.business_name = business_name
    self.business_licence = business_licence
    self.payee_account = payee_account


def _15(self, *, rule, text, params, citation):
    self.rule = rule
    self.text = text
    self.params = _d_params() if params is _F else params
    self.citation = citation


def _16(self, *, total, outstanding, overdue, n_overdue):
    self.total = total
    self.outstanding = outstanding
    self.overdue = overdue
    self.n_overdue = n_overdue


def _17(self, *, volume, count, days, on_return, none):
    self.volume = volume
    self.count = count
    self.days = days
    self.on_return = on_return
    self.none = none


def _18(self, channel, on, answer):
    self.channel = channel
    self.on = on
    self.answer = answer


def _19(self, db_path, today):
    self.db_path = db_path
    self.today = today


def _20(
    self,
    facts,
    refunded,
    outstanding,
    progress_volume,
    progress_count,
    has_progress,
    condition_deadline,
    met,
    unmet,
    follow_ups,
    open_follow_up,
    follow_contact,
    overdue,
):
    self.facts = facts
    self.refunded = refunded
    self.outstanding = outstanding
    self.progress_volume = progress_volume
    self.progress_count = progress_count
    self.has_progress = has_progress
    self.condition_deadline = condition_deadline
    self.met = met
    self.unmet = unmet
    self.follow_ups = follow_ups
    self.open_follow_up = open_follow_up
    self.follow_contact = follow_contact
    self.overdue = overdue


def _21(
    self,
    has_complaint,
    answer_by,
    provider_answered,
    used_12363,
    demand_on,
    demand_delivered_on,
    reply_by,
    demand_answer,
    used_court,
    taken,
    pending,
    follow_up_answered,
    waiting_on,
):
    self.has_complaint = has_complaint
    self.answer_by = answer_by
    self.provider_answered = provider_answered
    self.used_12363 = used_12363
    self.demand_on = demand_on
    self.demand_delivered_on = demand_delivered_on
    self.reply_by = reply_by
    self.demand_answer = demand_answer
    self.used_court = used_court
    self.taken = taken
    self.pending = pending
    self.follow_up_answered = follow_up_answered
    self.waiting_on = waiting_on


def _22(self, header, justify, overflow, no_wrap, min_width, max_width, ratio):
    self.header = header
    self.justify = justify
    self.overflow = overflow
    self.no_wrap = no_wrap
    self.min_width = min_width
    self.max_width = max_width
    self.ratio = ratio


def _23(
    self,
    id,
    provider,
    outstanding,
    state,
    due,
    action,
    command,
    note,
    marks,
    style,
    provider_width,
    outstanding_width,
    state_width,
    due_width,
):
    self.id = id
    self.provider = provider
    self.outstanding = outstanding
    self.state = state
    self.due = due
    self.action = action
    self.command = command
    self.note = note
    self.marks = marks
    self.style = style
    self.provider_width = provider_width
    self.outstanding_width = outstanding_width
    self.state_width = state_width
    self.due_width = due_width


def _24(self, key, ev):
    self.key = key
    self.ev = ev


def _25(self, met_on, met_basis, trigger_on, trigger_basis, due, limitation, restart):
    self.met_on = met_on
    self.met_basis = met_basis
    self.trigger_on = trigger_on
    self.trigger_basis = trigger_basis
    self.due = due
    self.limitation = limitation
    self.restart = restart


def _26(self, on, case_id, text, late):
    self.on = on
    self.case_id = case_id
    self.text = text
    self.late = late


def _27(self, shown, totals):
    self.shown = shown
    self.totals = totals


def _28(self, today, calendar, rules, grace_days, capacity):
    self.today = today
    self.calendar = calendar
    self.rules = rules
    self.grace_days = grace_days
    self.capacity = capacity


def _29(self, value, zh, en, *, aliases):
    self.value = value
    self.zh = zh
    self.en = en
    self.aliases = aliases


def _30(self, value, zh, en, answered, *, aliases):
    self.value = value
    self.zh = zh
    self.en = en
    self.answered = answered
    self.aliases = aliases


def _31(self, value, zh, en, text, *, aliases):
    self.value = value
    self.zh = zh
    self.en = en
    self.text = text
    self.aliases = aliases


def _32(self, value, zh, en, title, channel, needs_id_number, *, aliases):
    self.value = value
    self.zh = zh
    self.en = en
    self.title = title
    self.channel = channel
    self.needs_id_number = needs_id_number
    self.aliases = aliases


def _33(self, value, zh, en, written, provider, body, *, aliases):
    self.value = value
    self.zh = zh
    self.en = en
    self.written = written
    self.provider = provider
    self.body = body
    self.aliases = aliases


def _34(self, views, follow_ups):
    self.views = views
    self.follow_ups = follow_ups


def _35(case, progress, contacts, evidence, refunds, history, voided):
    self = _new(_cls)
    self.case = case
    self.progress = progress
    self.contacts = contacts
    self.evidence = evidence
    self.refunds = refunds
    self.history = history
    self.voided = voided
    return self


def _36(code, text, params, estimate):
    self = _new(_cls)
    self.code = code
    self.text = text
    self.params = params
    self.estimate = estimate
    return self


def _37(
    facts,
    today,
    state,
    refunded,
    outstanding,
    progress_volume,
    progress_count,
    condition_deadline,
    condition_met_on,
    condition_met_basis,
    trigger_on,
    trigger_basis,
    refund_due,
    days_overdue,
    follow_ups,
    open_follow_up,
    limitation,
    limitation_restart,
    limitation_warning,
    limitation_if_demanded_today,
    next_action,
    next_deadline,
):
    self = _new(_cls)
    self.facts = facts
    self.today = today
    self.state = state
    self.refunded = refunded
    self.outstanding = outstanding
    self.progress_volume = progress_volume
    self.progress_count = progress_count
    self.condition_deadline = condition_deadline
    self.condition_met_on = condition_met_on
    self.condition_met_basis = condition_met_basis
    self.trigger_on = trigger_on
    self.trigger_basis = trigger_basis
    self.refund_due = refund_due
    self.days_overdue = days_overdue
    self.follow_ups = follow_ups
    self.open_follow_up = open_follow_up
    self.limitation = limitation
    self.limitation_restart = limitation_restart
    self.limitation_warning = limitation_warning
    self.limitation_if_demanded_today = limitation_if_demanded_today
    self.next_action = next_action
    self.next_deadline = next_deadline
    return self


def _38(
    has_complaint,
    answer_by,
    provider_answered,
    used_12363,
    demand_on,
    demand_delivered_on,
    reply_by,
    demand_answer,
    used_court,
    taken,
    pending,
    follow_up_answered,
    waiting_on,
):
    self = _new(_cls)
    self.has_complaint = has_complaint
    self.answer_by = answer_by
    self.provider_answered = provider_answered
    self.used_12363 = used_12363
    self.demand_on = demand_on
    self.demand_delivered_on = demand_delivered_on
    self.reply_by = reply_by
    self.demand_answer = demand_answer
    self.used_court = used_court
    self.taken = taken
    self.pending = pending
    self.follow_up_answered = follow_up_answered
    self.waiting_on = waiting_on
    return self


def _39(
    id,
    provider,
    outstanding,
    state,
    due,
    action,
    command,
    note,
    marks,
    style,
    provider_width,
    outstanding_width,
    state_width,
    due_width,
):
    self = _new(_cls)
    self.id = id
    self.provider = provider
    self.outstanding = outstanding
    self.state = state
    self.due = due
    self.action = action
    self.command = command
    self.note = note
    self.marks = marks
    self.style = style
    self.provider_width = provider_width
    self.outstanding_width = outstanding_width
    self.state_width = state_width
    self.due_width = due_width
    return self


def _40(kind, on, basis, estimate, is_default, contact_id, provisional):
    self = _new(_cls)
    self.kind = kind
    self.on = on
    self.basis = basis
    self.estimate = estimate
    self.is_default = is_default
    self.contact_id = contact_id
    self.provisional = provisional
    return self


def _41(met_on, met_basis, trigger_on, trigger_basis, due, limitation, restart):
    self = _new(_cls)
    self.met_on = met_on
    self.met_basis = met_basis
    self.trigger_on = trigger_on
    self.trigger_basis = trigger_basis
    self.due = due
    self.limitation = limitation
    self.restart = restart
    return self


def _42(volume, count, days, on_return, none):
    self = _new(_cls)
    self.volume = volume
    self.count = count
    self.days = days
    self.on_return = on_return
    self.none = none
    return self


CODE = {
    "def __init__(self, *, case, progress, contacts, evidence, refunds, history, voided):\n self.case = case\n self.progress = progress\n self.contacts = contacts\n self.evidence = evidence\n self.refunds = refunds\n self.history = history\n self.voided = voided\n": _0.__code__,
    "def __init__(self, *, channel, verdict, reason, params, basis, citation, opens_on, used_on, outcome, action, note):\n self.channel = channel\n self.verdict = verdict\n self.reason = reason\n self.params = _d_params() if params is _F else params\n self.basis = basis\n self.citation = citation\n self.opens_on = opens_on\n self.used_on = used_on\n self.outcome = outcome\n self.action = action\n self.note = note\n": _1.__code__,
    "def __init__(self, *, checked_on, limitation_warning_days, sources, rules, channels, letters):\n self.checked_on = checked_on\n self.limitation_warning_days = limitation_warning_days\n self.sources = _d_sources() if sources is _F else sources\n self.rules = rules\n self.channels = _d_channels() if channels is _F else channels\n self.letters = _d_letters() if letters is _F else letters\n": _2.__code__,
    "def __init__(self, *, code, text, params, estimate):\n self.code = code\n self.text = text\n self.params = _d_params() if params is _F else params\n self.estimate = estimate\n": _3.__code__,
    "def __init__(self, *, facts, today, state, refunded, outstanding, progress_volume, progress_count, condition_deadline, condition_met_on, condition_met_basis, trigger_on, trigger_basis, refund_due, days_overdue, follow_ups, open_follow_up, limitation, limitation_restart, limitation_warning, limitation_if_demanded_today, next_action, next_deadline):\n self.facts = facts\n self.today = today\n self.state = state\n self.refunded = refunded\n self.outstanding = outstanding\n self.progress_volume = progress_volume\n self.progress_count = progress_count\n self.condition_deadline = condition_deadline\n self.condition_met_on = condition_met_on\n self.condition_met_basis = condition_met_basis\n self.trigger_on = trigger_on\n self.trigger_basis = trigger_basis\n self.refund_due = refund_due\n self.days_overdue = days_overdue\n self.follow_ups = follow_ups\n self.open_follow_up = open_follow_up\n self.limitation = limitation\n self.limitation_restart = limitation_restart\n self.limitation_warning = limitation_warning\n self.limitation_if_demanded_today = limitation_if_demanded_today\n self.next_action = next_action\n self.next_deadline = next_deadline\n": _4.__code__,
    "def __init__(self, *, id, case_id, at, action, by, changes):\n self.id = id\n self.case_id = case_id\n self.at = at\n self.action = action\n self.by = by\n self.changes = _d_changes() if changes is _F else changes\n": _5.__code__,
    "def __init__(self, *, id, case_id, on, amount, note, label, void_reason):\n self.id = id\n self.case_id = case_id\n self.on = on\n self.amount = amount\n self.note = note\n self.label = label\n self.void_reason = void_reason\n": _6.__code__,
    "def __init__(self, *, id, case_id, on, at_time, channel, to, ticket, outcome, promised_by, summary, refund_request, incoming, reason, letter, via, tracking, delivered_on, ledger_head, label, void_reason):\n self.id = id\n self.case_id = case_id\n self.on = on\n self.at_time = at_time\n self.channel = channel\n self.to = to\n self.ticket = ticket\n self.outcome = outcome\n self.promised_by = promised_by\n self.summary = summary\n self.refund_request = refund_request\n self.incoming = incoming\n self.reason = reason\n self.letter = letter\n self.via = via\n self.tracking = tracking\n self.delivered_on = delivered_on\n self.ledger_head = ledger_head\n self.label = label\n self.void_reason = void_reason\n": _7.__code__,
    "def __init__(self, *, id, case_id, on, volume, count, source, note, label, void_reason):\n self.id = id\n self.case_id = case_id\n self.on = on\n self.volume = volume\n self.count = count\n self.source = source\n self.note = note\n self.label = label\n self.void_reason = void_reason\n": _8.__code__,
    "def __init__(self, *, id, case_id, sha256, name, size, kind, added_on, note, contact_id, dated_on, label, void_reason):\n self.id = id\n self.case_id = case_id\n self.sha256 = sha256\n self.name = name\n self.size = size\n self.kind = kind\n self.added_on = added_on\n self.note = note\n self.contact_id = contact_id\n self.dated_on = dated_on\n self.label = label\n self.void_reason = void_reason\n": _9.__code__,
    "def __init__(self, *, id, law, article, source, days, workdays, years, yuan, zh, en):\n self.id = id\n self.law = law\n self.article = article\n self.source = source\n self.days = days\n self.workdays = workdays\n self.years = years\n self.yuan = yuan\n self.zh = zh\n self.en = en\n": _10.__code__,
    "def __init__(self, *, id, provider, amount, paid_on, brand, model, serial, merchant_no, paid_via, agent_name, agent_phone, activated_on, condition, refund_within, promised_refund_on, condition_text, note, met_on, returned_on, closed_on, close_reason, agent_company, paid_to):\n self.id = id\n self.provider = provider\n self.amount = amount\n self.paid_on = paid_on\n self.brand = brand\n self.model = model\n self.serial = serial\n self.merchant_no = merchant_no\n self.paid_via = paid_via\n self.agent_name = agent_name\n self.agent_phone = agent_phone\n self.activated_on = activated_on\n self.condition = condition\n self.refund_within = refund_within\n self.promised_refund_on = promised_refund_on\n self.condition_text = condition_text\n self.note = note\n self.met_on = met_on\n self.returned_on = returned_on\n self.closed_on = closed_on\n self.close_reason = close_reason\n self.agent_company = agent_company\n self.paid_to = paid_to\n": _11.__code__,
    "def __init__(self, *, kind, on, basis, estimate, is_default, contact_id, provisional):\n self.kind = kind\n self.on = on\n self.basis = basis\n self.estimate = estimate\n self.is_default = is_default\n self.contact_id = contact_id\n self.provisional = provisional\n": _12.__code__,
    "def __init__(self, *, n, unit):\n self.n = n\n self.unit = unit\n self.__post_init__()\n": _13.__code__,
    "def __init__(self, *, name, phone, address, postcode, id_number, email, capacity, business_name, business_licence, payee_account):\n self.name = name\n self.phone = phone\n self.address = address\n self.postcode = postcode\n self.id_number = id_number\n self.email = email\n self.capacity = capacity\n self.business_name = business_name\n self.business_licence = business_licence\n self.payee_account = payee_account\n": _14.__code__,
    "def __init__(self, *, rule, text, params, citation):\n self.rule = rule\n self.text = text\n self.params = _d_params() if params is _F else params\n self.citation = citation\n": _15.__code__,
    "def __init__(self, *, total, outstanding, overdue, n_overdue):\n self.total = total\n self.outstanding = outstanding\n self.overdue = overdue\n self.n_overdue = n_overdue\n": _16.__code__,
    "def __init__(self, *, volume, count, days, on_return, none):\n self.volume = volume\n self.count = count\n self.days = days\n self.on_return = on_return\n self.none = none\n": _17.__code__,
    "def __init__(self, channel, on, answer):\n self.channel = channel\n self.on = on\n self.answer = answer\n": _18.__code__,
    "def __init__(self, db_path, today):\n self.db_path = db_path\n self.today = today\n": _19.__code__,
    "def __init__(self, facts, refunded, outstanding, progress_volume, progress_count, has_progress, condition_deadline, met, unmet, follow_ups, open_follow_up, follow_contact, overdue):\n self.facts = facts\n self.refunded = refunded\n self.outstanding = outstanding\n self.progress_volume = progress_volume\n self.progress_count = progress_count\n self.has_progress = has_progress\n self.condition_deadline = condition_deadline\n self.met = met\n self.unmet = unmet\n self.follow_ups = follow_ups\n self.open_follow_up = open_follow_up\n self.follow_contact = follow_contact\n self.overdue = overdue\n": _20.__code__,
    "def __init__(self, has_complaint, answer_by, provider_answered, used_12363, demand_on, demand_delivered_on, reply_by, demand_answer, used_court, taken, pending, follow_up_answered, waiting_on):\n self.has_complaint = has_complaint\n self.answer_by = answer_by\n self.provider_answered = provider_answered\n self.used_12363 = used_12363\n self.demand_on = demand_on\n self.demand_delivered_on = demand_delivered_on\n self.reply_by = reply_by\n self.demand_answer = demand_answer\n self.used_court = used_court\n self.taken = taken\n self.pending = pending\n self.follow_up_answered = follow_up_answered\n self.waiting_on = waiting_on\n": _21.__code__,
    "def __init__(self, header, justify, overflow, no_wrap, min_width, max_width, ratio):\n self.header = header\n self.justify = justify\n self.overflow = overflow\n self.no_wrap = no_wrap\n self.min_width = min_width\n self.max_width = max_width\n self.ratio = ratio\n": _22.__code__,
    "def __init__(self, id, provider, outstanding, state, due, action, command, note, marks, style, provider_width, outstanding_width, state_width, due_width):\n self.id = id\n self.provider = provider\n self.outstanding = outstanding\n self.state = state\n self.due = due\n self.action = action\n self.command = command\n self.note = note\n self.marks = marks\n self.style = style\n self.provider_width = provider_width\n self.outstanding_width = outstanding_width\n self.state_width = state_width\n self.due_width = due_width\n": _23.__code__,
    "def __init__(self, key, ev):\n self.key = key\n self.ev = ev\n": _24.__code__,
    "def __init__(self, met_on, met_basis, trigger_on, trigger_basis, due, limitation, restart):\n self.met_on = met_on\n self.met_basis = met_basis\n self.trigger_on = trigger_on\n self.trigger_basis = trigger_basis\n self.due = due\n self.limitation = limitation\n self.restart = restart\n": _25.__code__,
    "def __init__(self, on, case_id, text, late):\n self.on = on\n self.case_id = case_id\n self.text = text\n self.late = late\n": _26.__code__,
    "def __init__(self, shown, totals):\n self.shown = shown\n self.totals = totals\n": _27.__code__,
    "def __init__(self, today, calendar, rules, grace_days, capacity):\n self.today = today\n self.calendar = calendar\n self.rules = rules\n self.grace_days = grace_days\n self.capacity = capacity\n": _28.__code__,
    "def __init__(self, value, zh, en, *, aliases):\n self.value = value\n self.zh = zh\n self.en = en\n self.aliases = aliases\n": _29.__code__,
    "def __init__(self, value, zh, en, answered, *, aliases):\n self.value = value\n self.zh = zh\n self.en = en\n self.answered = answered\n self.aliases = aliases\n": _30.__code__,
    "def __init__(self, value, zh, en, text, *, aliases):\n self.value = value\n self.zh = zh\n self.en = en\n self.text = text\n self.aliases = aliases\n": _31.__code__,
    "def __init__(self, value, zh, en, title, channel, needs_id_number, *, aliases):\n self.value = value\n self.zh = zh\n self.en = en\n self.title = title\n self.channel = channel\n self.needs_id_number = needs_id_number\n self.aliases = aliases\n": _32.__code__,
    "def __init__(self, value, zh, en, written, provider, body, *, aliases):\n self.value = value\n self.zh = zh\n self.en = en\n self.written = written\n self.provider = provider\n self.body = body\n self.aliases = aliases\n": _33.__code__,
    "def __init__(self, views, follow_ups):\n self.views = views\n self.follow_ups = follow_ups\n": _34.__code__,
    "def build(case, progress, contacts, evidence, refunds, history, voided):\n self = _new(_cls)\n self.case = case\n self.progress = progress\n self.contacts = contacts\n self.evidence = evidence\n self.refunds = refunds\n self.history = history\n self.voided = voided\n return self\n": _35.__code__,
    "def build(code, text, params, estimate):\n self = _new(_cls)\n self.code = code\n self.text = text\n self.params = params\n self.estimate = estimate\n return self\n": _36.__code__,
    "def build(facts, today, state, refunded, outstanding, progress_volume, progress_count, condition_deadline, condition_met_on, condition_met_basis, trigger_on, trigger_basis, refund_due, days_overdue, follow_ups, open_follow_up, limitation, limitation_restart, limitation_warning, limitation_if_demanded_today, next_action, next_deadline):\n self = _new(_cls)\n self.facts = facts\n self.today = today\n self.state = state\n self.refunded = refunded\n self.outstanding = outstanding\n self.progress_volume = progress_volume\n self.progress_count = progress_count\n self.condition_deadline = condition_deadline\n self.condition_met_on = condition_met_on\n self.condition_met_basis = condition_met_basis\n self.trigger_on = trigger_on\n self.trigger_basis = trigger_basis\n self.refund_due = refund_due\n self.days_overdue = days_overdue\n self.follow_ups = follow_ups\n self.open_follow_up = open_follow_up\n self.limitation = limitation\n self.limitation_restart = limitation_restart\n self.limitation_warning = limitation_warning\n self.limitation_if_demanded_today = limitation_if_demanded_today\n self.next_action = next_action\n self.next_deadline = next_deadline\n return self\n": _37.__code__,
    "def build(has_complaint, answer_by, provider_answered, used_12363, demand_on, demand_delivered_on, reply_by, demand_answer, used_court, taken, pending, follow_up_answered, waiting_on):\n self = _new(_cls)\n self.has_complaint = has_complaint\n self.answer_by = answer_by\n self.provider_answered = provider_answered\n self.used_12363 = used_12363\n self.demand_on = demand_on\n self.demand_delivered_on = demand_delivered_on\n self.reply_by = reply_by\n self.demand_answer = demand_answer\n self.used_court = used_court\n self.taken = taken\n self.pending = pending\n self.follow_up_answered = follow_up_answered\n self.waiting_on = waiting_on\n return self\n": _38.__code__,
    "def build(id, provider, outstanding, state, due, action, command, note, marks, style, provider_width, outstanding_width, state_width, due_width):\n self = _new(_cls)\n self.id = id\n self.provider = provider\n self.outstanding = outstanding\n self.state = state\n self.due = due\n self.action = action\n self.command = command\n self.note = note\n self.marks = marks\n self.style = style\n self.provider_width = provider_width\n self.outstanding_width = outstanding_width\n self.state_width = state_width\n self.due_width = due_width\n return self\n": _39.__code__,
    "def build(kind, on, basis, estimate, is_default, contact_id, provisional):\n self = _new(_cls)\n self.kind = kind\n self.on = on\n self.basis = basis\n self.estimate = estimate\n self.is_default = is_default\n self.contact_id = contact_id\n self.provisional = provisional\n return self\n": _40.__code__,
    "def build(met_on, met_basis, trigger_on, trigger_basis, due, limitation, restart):\n self = _new(_cls)\n self.met_on = met_on\n self.met_basis = met_basis\n self.trigger_on = trigger_on\n self.trigger_basis = trigger_basis\n self.due = due\n self.limitation = limitation\n self.restart = restart\n return self\n": _41.__code__,
    "def build(volume, count, days, on_return, none):\n self = _new(_cls)\n self.volume = volume\n self.count = count\n self.days = days\n self.on_return = on_return\n self.none = none\n return self\n": _42.__code__,
}
