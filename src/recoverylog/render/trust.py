"""Sentences about signatures, keys and replies (the trust list, review, inbox)."""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from recoverylog.reports.signature import SignatureStatus


def status_text(sig: "SignatureStatus", path: str | None = None) -> str:
    """One sentence per signature status."""
    if sig.status == "verified":
        return f"Signed by {sig.signer}, fingerprint {sig.fingerprint}, unchanged since signing."
    if sig.status == "untrusted":
        how = f"`recoverylog trust add {shlex.quote(path)} --name NAME`" if path else "`recoverylog trust add FILE --name NAME`"
        return (f"Signed by a key not in your trust list (fingerprint {sig.fingerprint}). If the person reads you "
                f"the same fingerprint in person or by phone, {how} trusts it.")
    if sig.status == "unsigned":
        return "Not signed: nothing shows who made this file."
    return ("Signature does NOT match: the file was changed after signing"
            + (f" ({sig.reason})" if sig.reason and "changed after signing" not in sig.reason else "") + ".")


def fingerprint_footer(fingerprint: str) -> str:
    """The footer line of a markdown or HTML export made by someone with a signing key."""
    return (f"Signing key fingerprint: {fingerprint}. The JSON form of this export carries the signature: "
            "`recoverylog review FILE.json` checks it against the key you compared with the person.")


def _from(reply: dict) -> str:
    if reply["signature_status"] == "verified":
        return f"{reply['signer']} (signed, verified)"
    who = reply["sender"] or "someone"
    if reply["signature_status"] == "untrusted":
        return f"{who} (signed by a key you do not trust yet: {reply['fingerprint']})"
    return f"{who} (not signed: nothing shows who wrote it)"


def _period(reply: dict) -> str:
    return f"{reply['summary_start'] or '?'} to {reply['summary_end'] or '?'}"


def reply_json(reply: dict) -> dict:
    """The stable JSON shape of one reply in `inbox --json` and `inbox show --json`."""
    return {
        "number": reply["id"], "received_at": reply["received_at"], "written_at": reply["written_at"],
        "from": reply["sender"],
        "signature": {"status": reply["signature_status"], "signer": reply["signer"],
                      "fingerprint": reply["fingerprint"]},
        "summary": {"digest": reply["summary_digest"],
                    "period": {"start": reply["summary_start"], "end": reply["summary_end"]}},
        "note": reply["note"], "ask": reply["ask"],
        "suggested_goals": [{"number": i, "title": title, "goal_id": reply["accepted"].get(i)}
                            for i, title in enumerate(reply["suggested_goals"], 1)],
        "digest": reply["digest"],
    }


def reply_list_lines(replies: list[dict]) -> list[str]:
    from recoverylog.render.console import strip_control

    if not replies:
        return ["No replies yet. When your sponsor sends one, `recoverylog inbox add FILE` keeps it."]
    lines = []
    for r in replies:
        first = strip_control(r["note"]).splitlines()[0] if r["note"] else ""
        if len(first) > 60:
            first = first[:59] + "…"
        extra = []
        if r["ask"]:
            extra.append("a question")
        if r["suggested_goals"]:
            n = len(r["suggested_goals"])
            extra.append(f"{n} suggested goal{'s' if n != 1 else ''}")
        lines.append(f"{r['id']}. {r['received_at'][:10]}  from {strip_control(_from(r))}, "
                     f"on your summary for {_period(r)}" + (f" ({', '.join(extra)})" if extra else ""))
        lines.append(f"   {first}")
    return lines


def reply_lines(reply: dict) -> list[str]:
    from recoverylog.render.console import strip_control

    lines = [f"Reply {reply['id']}, received {reply['received_at'][:16].replace('T', ' ')} UTC",
             f"From: {strip_control(_from(reply))}",
             f"On your summary for {_period(reply)} ({(reply['summary_digest'] or '')[:15]}…)", ""]
    lines += [strip_control(x) for x in reply["note"].splitlines()]
    if reply["ask"]:
        lines += ["", f"They ask: {strip_control(reply['ask'])}"]
    if reply["suggested_goals"]:
        lines += ["", "Suggested goals (yours only if you accept one):"]
        for i, title in enumerate(reply["suggested_goals"], 1):
            taken = reply["accepted"].get(i)
            state = f"accepted as goal #{taken}" if taken else f"`recoverylog inbox accept {reply['id']} --goal {i}`"
            lines.append(f"  {i}. {strip_control(title)}  ({state})")
    return lines


def fingerprint_footer_html(fingerprint: str) -> str:
    """The same footer as HTML (escaped here; the command shown as code)."""
    import html
    import re

    text = html.escape(fingerprint_footer(fingerprint), quote=True)
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
