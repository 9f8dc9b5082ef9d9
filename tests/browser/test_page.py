"""The web page in real headless Chromium, driven over the DevTools protocol, against a live uvicorn
(embedded store + seed): ask → cited answer → open the citation; 未找到; the entity panel; history kept
over a reload; a new chat; Chinese messages for empty and over-long questions; search with a filter.
Every step saves a screenshot (tests/browser/conftest.py says where)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.api.conftest import LiveServer
from tests.browser.cdp import Browser
from tests.browser.steps import SCHEMA_WORDS, ask, click, last_answer, open_page, set_value, texts

pytestmark = [pytest.mark.parametrize("store", ["embedded"], indirect=True), pytest.mark.slow]  # uvicorn + chromium
Shots = Callable[[Browser, str], Path]


def test_ask_shows_a_cited_answer_results_entities_and_keeps_the_history(
    live_server: LiveServer, browser: Browser, shots: Shots
) -> None:
    open_page(browser, live_server.url)
    status = browser.evaluate("document.querySelector('#store-status').textContent")
    assert "embedded" in status and "1 份文件" in status
    shots(browser, "01-start")

    ask(browser, "新化县楚怡工业学校被支持建设什么？")
    answer = last_answer(browser)
    assert "文化传承基地" in answer
    assert browser.evaluate("document.querySelector('.msg.user').textContent") == "新化县楚怡工业学校被支持建设什么？"
    shots(browser, "02-answer")

    # A citation chip opens the cited passage, with its document's title.
    assert browser.evaluate("document.querySelectorAll('.msg.bot .citation').length") >= 1
    assert browser.evaluate("document.querySelector('.msg.bot .passage').hidden") is True
    click(browser, ".msg.bot .citation")
    passage = browser.evaluate("(p => p.hidden ? '' : p.textContent)(document.querySelector('.msg.bot .passage'))")
    assert "新化县楚怡工业学校" in passage and "《湖南省职业教育楚怡行动计划》" in passage
    shots(browser, "03-citation-open")

    # Results: passages with the query words marked, relevance as a word (never a raw score).
    browser.wait_for("document.querySelectorAll('#results li').length > 0")
    marks = texts(browser, "#results li mark")
    assert marks and any(m in ("新化县", "楚怡", "工业学校", "建设", "支持") for m in marks)
    where = texts(browser, "#results .where")
    assert all(("相关度高" in w or "相关度中" in w or "相关度低" in w) and "得分" not in w for w in where), where
    assert "相关度高" in where[0]

    # Entity cards for what the question names, in Chinese.
    browser.wait_for("document.querySelectorAll('.entity-card').length > 0")
    cards = texts(browser, ".entity-card h3")
    assert any("新化县楚怡工业学校" in c for c in cards)
    shown = texts(browser, ".entity-card li, .entity-card .badge, .msg.bot .facts li, .msg.bot .badge")
    assert shown and not [t for t in shown if SCHEMA_WORDS.search(t)], shown

    # A second answer goes under the first; the entity panel shows only the second question's entities.
    ask(browser, "全省遴选建设的楚怡高水平高职院校有几所？")
    browser.wait_for("document.querySelectorAll('.msg.bot').length === 2")
    assert "10" in last_answer(browser)
    browser.wait_for("document.querySelectorAll('.entity-card').length > 0")
    cards = texts(browser, ".entity-card h3")
    assert not any("新化县楚怡工业学校" in c for c in cards), cards
    shots(browser, "04-second-answer")

    # A reload keeps the conversation (localStorage), with its citations.
    browser.reload()
    browser.wait_for("document.querySelectorAll('.msg.bot').length === 2")
    assert texts(browser, ".msg.user") == [
        "新化县楚怡工业学校被支持建设什么？",
        "全省遴选建设的楚怡高水平高职院校有几所？",
    ]
    assert "文化传承基地" in texts(browser, ".msg.bot .answer-text")[0]
    assert browser.evaluate("document.querySelectorAll('.msg.bot .citation').length") >= 2
    assert texts(browser, "#chat-list .chat-title") == ["新化县楚怡工业学校被支持建设什么？"]
    shots(browser, "05-after-reload")

    # 新对话: an empty conversation; the old one stays in the list and opens again.
    click(browser, "#new-chat")
    browser.wait_for("document.querySelector('#conversation .hint') !== null")
    assert browser.evaluate("document.querySelectorAll('.msg').length") == 0
    ask(browser, "楚怡文化传承基地又叫什么？")
    assert "楚怡职业教育文化馆" in last_answer(browser)
    titles = texts(browser, "#chat-list .chat-title")
    assert titles == ["楚怡文化传承基地又叫什么？", "新化县楚怡工业学校被支持建设什么？"], titles
    shots(browser, "06-new-chat")
    browser.evaluate("document.querySelectorAll('#chat-list .chat-item')[1].click()")
    browser.wait_for("document.querySelectorAll('.msg.bot').length === 2")
    assert "文化传承基地" in texts(browser, ".msg.bot .answer-text")[0]


def test_an_unanswerable_question_says_not_found_with_related_passages(
    live_server: LiveServer, browser: Browser, shots: Shots
) -> None:
    open_page(browser, live_server.url)
    ask(browser, "长沙今天天气怎么样？")
    answer = last_answer(browser)
    assert "没有找到" in answer
    assert browser.evaluate("document.querySelector('.msg.bot').classList.contains('none')") is True
    assert "未找到" in browser.evaluate("document.querySelector('.msg.bot .not-found').textContent")
    assert browser.evaluate("document.querySelectorAll('.msg.bot .citations').length") == 1  # only the related ones
    related = texts(browser, ".msg.bot .related .citation")
    assert len(related) >= 1 and all("湖南省职业教育楚怡行动计划" in r for r in related)
    assert "可能相关" in browser.evaluate("document.querySelector('.msg.bot .related').textContent")
    click(browser, ".msg.bot .related .citation")
    assert browser.evaluate("document.querySelector('.msg.bot .related .passage').hidden") is False
    shots(browser, "01-not-found")


def test_empty_and_over_long_questions_get_chinese_messages(
    live_server: LiveServer, browser: Browser, shots: Shots
) -> None:
    open_page(browser, live_server.url)
    ask(browser, "   ")
    assert browser.evaluate("document.querySelector('#question-error').textContent") == "请输入问题。"
    ask(browser, "楚" * 600)  # over the API's 500 characters: said, never cut
    message = browser.evaluate("document.querySelector('#question-error').textContent")
    assert "最多 500 个字" in message and "600" in message
    assert browser.evaluate("document.querySelector('#question').value.length") == 600
    assert browser.evaluate("document.querySelector('#question-count').classList.contains('over')") is True
    assert browser.evaluate("document.querySelectorAll('.msg').length") == 0  # nothing was sent
    shots(browser, "01-too-long")

    # An error the server reports (a chat scoped to a document that is not there) is shown with its code.
    browser.evaluate(
        "localStorage.setItem('chuyi-chats', JSON.stringify({current: 'x', chats: [{id: 'x', title: '新对话',"
        " updated: Date.now(), turns: [], scope: {id: 'doc:none', title: '不存在的文件'}}]}))"
    )
    browser.reload()
    browser.wait_for("!document.querySelector('#scope').hidden")
    assert "不存在的文件" in browser.evaluate("document.querySelector('#scope').textContent")
    ask(browser, "这份文件的第三条是什么？")
    text = last_answer(browser)
    assert "出错了" in text and "unknown_document" in text
    shots(browser, "02-server-error")


def test_search_with_a_filter(live_server: LiveServer, browser: Browser, shots: Shots) -> None:
    open_page(browser, live_server.url)
    browser.wait_for("document.querySelectorAll('#search-document option').length === 2")
    options = texts(browser, "#search-document option")
    assert options == ["全部文件", "湖南省职业教育楚怡行动计划"]
    set_value(browser, "#search-query", "楚怡")
    click(browser, "#search-button")
    browser.wait_for("document.querySelectorAll('#results li').length > 0")
    unfiltered = texts(browser, "#results .where")
    assert any("· 二/（一）" not in w for w in unfiltered), unfiltered  # passages outside 二/（一） exist

    set_value(browser, "#search-section", "二/（一）")
    browser.evaluate("document.querySelector('#search-document').selectedIndex = 1")
    click(browser, "#search-button")
    browser.wait_for("(n => n.textContent.includes('已按筛选条件限定'))(document.querySelector('#search-note'))")
    where = texts(browser, "#results .where")
    assert where and all("· 二/（一）" in w and "湖南省职业教育楚怡行动计划" in w for w in where), where
    shots(browser, "01-filtered")
