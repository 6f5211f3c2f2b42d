"""The local outbox page (/outbox, `make run` only): every email the stack "sent", newest first.

Locally nothing leaves the machine: SES is the emulator, which keeps each message. This page shows them
with their links clickable, so a person trying the product can follow an email's status or check-in link
exactly as a client would. It is never deployed: the deployed stack sends real email through SES.
"""

import html
import re
from typing import Any

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


def page() -> tuple[int, dict[str, str], bytes]:
    messages = list(reversed(sent_messages()))
    items = []
    for number, message in enumerate(messages, start=1):
        to = ", ".join(message.destinations.get("ToAddresses", []))
        items.append(
            f'<article class="card" aria-labelledby="m{number}">'
            f'<h2 id="m{number}">{html.escape(message.subject)}</h2>'
            f'<p class="muted">To {html.escape(to)} · from {html.escape(message.source)}</p>'
            f'<pre class="email">{_linked(message.body)}</pre></article>'
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
