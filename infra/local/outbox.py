"""The local outbox page (/outbox, `make run` only): every email the stack "sent", newest first.

Locally nothing leaves the machine: SES is the emulator, which keeps each message. This page shows them
with their links clickable, so a person trying the product can follow an email's status or check-in link
exactly as a client would. It is never deployed: the deployed stack sends real email through SES.
"""

import html
import re
from email import message_from_string, policy
from typing import Any, NamedTuple

from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from infra.local.provision import REGION

_LINK = re.compile(r"https?://[^\s<>\"]+")


def _linked(text: str) -> str:
    out, last = [], 0
    for match in _LINK.finditer(text):
        out.append(html.escape(text[last : match.start()]))
        url = html.escape(match.group(0), quote=True)
        out.append(f'<a href="{url}">{url}</a>')
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def sent_messages() -> list[Any]:
    return list(ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages)


def _text_of(content: str | bytes) -> str:
    return content.decode("utf-8", "replace") if isinstance(content, bytes) else content


class Shown(NamedTuple):
    subject: str
    to: str
    source: str
    body: str
    attachments: list[tuple[str, str]]  # (file name, text): a booking's calendar invitation


def shown(message: Any) -> Shown:
    """An SES message as the page shows it: a simple one (SendEmail), or a raw MIME one (SendRawEmail, the
    booking emails with their invitation), read back with the standard library."""
    if not hasattr(message, "raw_data"):
        to = ", ".join(message.destinations.get("ToAddresses", []))
        return Shown(message.subject, to, message.source, message.body, [])
    parsed = message_from_string(message.raw_data, policy=policy.default)
    text = parsed.get_body(preferencelist=("plain",))
    attachments = [
        (part.get_filename() or "attachment", _text_of(part.get_content()))
        for part in parsed.iter_attachments()
        if part.get_content_maintype() == "text" or (part.get_filename() or "").endswith(".ics")
    ]
    to = str(parsed.get("To", "")) or ", ".join(message.destinations)
    body = text.get_content() if text is not None else ""
    return Shown(str(parsed.get("Subject", "")), to, message.source, body, attachments)


def page() -> tuple[int, dict[str, str], bytes]:
    messages = list(reversed(sent_messages()))
    items = []
    for number, message in enumerate(messages, start=1):
        email = shown(message)
        attached = "".join(
            f'<details><summary>Attached: {html.escape(name)}</summary><pre class="email">{html.escape(text)}</pre>'
            "</details>"
            for name, text in email.attachments
        )
        items.append(
            f'<article class="card" aria-labelledby="m{number}">'
            f'<h2 id="m{number}">{html.escape(email.subject)}</h2>'
            f'<p class="muted">To {html.escape(email.to)} · from {html.escape(email.source)}</p>'
            f'<pre class="email">{_linked(email.body)}</pre>{attached}</article>'
        )
    body = "".join(items) or "<p>No emails yet. Submit an intake and they will appear here.</p>"
    document = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta http-equiv="refresh" content="10">'
        '<title>Local outbox</title><link rel="stylesheet" href="assets/app.css"></head><body>'
        '<header class="site"><nav aria-label="Local"><a href="./">Intake form</a>'
        '<a class="secondary" href="console">Review console</a></nav></header>'
        '<main id="main" class="wide"><h1>Local outbox</h1>'
        '<p class="lead">Emails the local stack sent (to the practice and to clients), newest first. '
        "Only on this machine: the deployed service sends them through SES. This page reloads every 10 seconds.</p>"
        f"{body}</main></body></html>"
    )
    headers = {
        "Content-Type": "text/html; charset=utf-8",
        "Cache-Control": "no-store",
        "Content-Security-Policy": "default-src 'self'; script-src 'none'; object-src 'none'; frame-ancestors 'none'",
        "X-Content-Type-Options": "nosniff",
    }
    return 200, headers, document.encode()
