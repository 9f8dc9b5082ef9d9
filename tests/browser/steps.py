"""What a person does on the page, as functions the browser tests share."""

from __future__ import annotations

import json
import re
from typing import Any, get_args

from graph.models import NodeLabel, RelType
from tests.browser.cdp import Browser

# Any ASCII label or relationship type of the schema: the page must show none of them.
SCHEMA_WORDS = re.compile(r"\b(" + "|".join([*get_args(RelType), *get_args(NodeLabel)]) + r")\b")


def js(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def open_page(browser: Browser, url: str, view: str = "chat") -> None:
    browser.navigate(f"{url}/#{view}")
    browser.wait_for("document.querySelector('#store-status').textContent.includes('份文件')")


def ask(browser: Browser, question: str) -> None:
    browser.evaluate(
        f"""(() => {{
        const input = document.querySelector('#question');
        input.focus();
        input.value = {js(question)};
        input.dispatchEvent(new Event('input', {{bubbles: true}}));
        document.querySelector('#ask-button').click();
    }})()"""
    )


def last_answer(browser: Browser, timeout: float = 90) -> str:
    browser.wait_for(
        "(() => { const a = [...document.querySelectorAll('.msg.bot .answer-text')].pop();"
        " return a && !a.classList.contains('pending') && a.textContent.length > 0; })()",
        timeout,
    )
    return str(browser.evaluate("[...document.querySelectorAll('.msg.bot .answer-text')].pop().textContent"))


def texts(browser: Browser, selector: str) -> list[str]:
    return list(browser.evaluate(f"[...document.querySelectorAll({js(selector)})].map(e => e.textContent)"))


def set_value(browser: Browser, selector: str, value: str) -> None:
    browser.evaluate(
        f"(() => {{ const e = document.querySelector({js(selector)}); e.value = {js(value)};"
        " e.dispatchEvent(new Event('input', {bubbles: true}));"
        " e.dispatchEvent(new Event('change', {bubbles: true})); })()"
    )


def click(browser: Browser, selector: str) -> None:
    browser.evaluate(f"document.querySelector({js(selector)}).click()")


def click_text(browser: Browser, selector: str, text: str) -> None:
    """Click the first element matching `selector` whose text contains `text`."""
    found = browser.evaluate(
        f"(() => {{ const e = [...document.querySelectorAll({js(selector)})]"
        f".find(e => e.textContent.includes({js(text)})); if (e) e.click(); return !!e; }})()"
    )
    assert found, f"no {selector} with {text!r}"


def type_text(browser: Browser, selector: str, text: str) -> None:
    """Focus a field and type into it as a keyboard (an IME's commit) does: the page sees real input events."""
    browser.evaluate(f"(() => {{ const e = document.querySelector({js(selector)}); e.focus(); e.select(); }})()")
    browser.send("Input.insertText", {"text": text})
