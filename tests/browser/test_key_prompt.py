"""The page asks for the API key when a write needs one: real headless Chromium against a live uvicorn
with CHUYI_API_KEYS set. Upload → 401 → the key dialog → the key kept in sessionStorage and sent as
X-API-Key → the document is ingested; a wrong key asks again; the next upload does not ask. The library
view: drag-and-drop, upload progress, the new document in the list, deleting it after a confirmation."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from search_api.services import Services
from tests.api.conftest import LiveServer, service_env
from tests.browser.cdp import Browser
from tests.browser.steps import ask, click, last_answer, open_page, texts

pytestmark = [pytest.mark.parametrize("store", ["embedded"], indirect=True), pytest.mark.slow]  # uvicorn + chromium
Shots = Callable[[Browser, str], Path]
KEY = "page-key-0123456789abcdef"
NOTICE = "关于楚怡基地建设的通知\n\n各地要将楚怡文化传承基地建设经费纳入年度预算，确保基地如期建成开放。\n"


@pytest.fixture
def keyed_server(services: Services, tmp_path: Path) -> Iterator[LiveServer]:
    env = service_env(services.settings.data_dir, api_keys=KEY)
    server = LiveServer(env, tmp_path / "uvicorn.log")
    server.start()
    yield server
    server.stop()


def _choose_file(browser: Browser, path: Path) -> None:
    root = browser.send("DOM.getDocument")["root"]["nodeId"]
    node = browser.send("DOM.querySelector", {"nodeId": root, "selector": "#upload-file"})["nodeId"]
    browser.send("DOM.setFileInputFiles", {"nodeId": node, "files": [str(path)]})


def _enter_key(browser: Browser, key: str) -> None:
    browser.wait_for("document.querySelector('#key-dialog').open", 30)
    browser.evaluate(f"document.querySelector('#api-key').value = {key!r};"
                     "document.querySelector('#key-submit').click()")  # fmt: skip


def test_a_write_asks_for_the_key_once(keyed_server: LiveServer, browser: Browser, tmp_path: Path) -> None:
    first, second = tmp_path / "基地通知.txt", tmp_path / "第二份通知.md"
    first.write_text(NOTICE, encoding="utf-8")
    second.write_text("# 第二份通知\n\n" + NOTICE.replace("年度预算", "专项经费"), encoding="utf-8")
    browser.navigate(keyed_server.url + "/")
    browser.wait_for("document.querySelector('#store-status').textContent.includes('1 份文件')")

    _choose_file(browser, first)
    browser.evaluate("document.querySelector('#upload-button').click()")
    message = browser.wait_for("document.querySelector('#key-dialog').open && "
                               "document.querySelector('#key-message').textContent")  # fmt: skip
    assert "API 密钥" in message
    _enter_key(browser, "not-the-key")
    wrong = browser.wait_for("document.querySelector('#key-dialog').open && "
                             "document.querySelector('#key-message').textContent")  # fmt: skip
    assert "不正确" in wrong
    _enter_key(browser, KEY)
    status = "document.querySelector('#upload-status').textContent"
    done = browser.wait_for(f"(t => t.includes('已导入') && t)({status})", 120)
    assert "基地建设" in done or "楚怡" in done
    assert browser.evaluate("sessionStorage.getItem('chuyi-api-key')") == KEY
    browser.wait_for("document.querySelector('#store-status').textContent.includes('2 份文件')")

    # The next write sends the kept key: no dialog.
    _choose_file(browser, second)
    browser.evaluate("document.querySelector('#upload-button').click()")
    browser.wait_for("document.querySelector('#upload-status').textContent.includes('第二份通知')", 120)
    assert browser.evaluate("document.querySelector('#key-dialog').open") is False


def test_cancelling_the_dialog_says_why(keyed_server: LiveServer, browser: Browser, tmp_path: Path) -> None:
    path = tmp_path / "通知.txt"
    path.write_text(NOTICE, encoding="utf-8")
    browser.navigate(keyed_server.url + "/")
    _choose_file(browser, path)
    browser.evaluate("document.querySelector('#upload-button').click()")
    browser.wait_for("document.querySelector('#key-dialog').open", 30)
    browser.evaluate("document.querySelector('#key-cancel').click()")
    text = browser.wait_for("(t => t.includes('上传失败') && t)(document.querySelector('#upload-status').textContent)")
    assert "API 密钥" in text and "key_required" in text


@pytest.mark.slow
def test_library_upload_with_the_key_then_delete(
    keyed_server: LiveServer, browser: Browser, tmp_path: Path, shots: Shots
) -> None:
    path = tmp_path / "基地通知.txt"
    path.write_text(NOTICE, encoding="utf-8")
    open_page(browser, keyed_server.url, "library")
    browser.wait_for("document.querySelectorAll('#library-rows tr').length === 1")
    row = texts(browser, "#library-rows tr")[0]
    assert "湖南省职业教育楚怡行动计划" in row and "现行有效" in row
    shots(browser, "01-library")

    # Dropping a file on the zone chooses it (a DataTransfer built in the page, as a real drop carries).
    browser.evaluate(
        f"""(() => {{ const t = new DataTransfer();
        t.items.add(new File([{NOTICE!r}], '拖入的通知.txt', {{type: 'text/plain'}}));
        const drop = new DragEvent('drop', {{dataTransfer: t, bubbles: true}});
        document.querySelector('#drop-zone').dispatchEvent(drop); }})()"""
    )
    assert "拖入的通知.txt" in browser.evaluate("document.querySelector('#upload-name').textContent")

    # The chosen file wins over an earlier drop; the write asks for the key.
    _choose_file(browser, path)
    click(browser, "#upload-button")
    _enter_key(browser, KEY)
    status = "document.querySelector('#upload-status').textContent"
    done = browser.wait_for(f"(t => t.includes('已导入') && t)({status})", 120)
    assert "关于楚怡基地建设的通知" in done
    assert browser.evaluate("document.querySelector('#upload-progress').value") == 100
    browser.wait_for("document.querySelectorAll('#library-rows tr').length === 2")
    assert any("关于楚怡基地建设的通知" in r for r in texts(browser, "#library-rows tr"))
    browser.wait_for("document.querySelector('#store-status').textContent.includes('2 份文件')")
    shots(browser, "02-uploaded")

    # Delete it: a confirmation first (cancel keeps it), then the key that is kept.
    delete = (
        "[...document.querySelectorAll('#library-rows tr')]"
        ".find(r => r.textContent.includes('关于楚怡基地建设的通知')).querySelector('.delete-doc').click()"
    )
    browser.evaluate(delete)
    browser.wait_for("document.querySelector('#confirm-dialog').open")
    assert "关于楚怡基地建设的通知" in browser.evaluate("document.querySelector('#confirm-message').textContent")
    shots(browser, "03-confirm")
    click(browser, "#confirm-cancel")
    assert browser.evaluate("document.querySelectorAll('#library-rows tr').length") == 2
    browser.evaluate(delete)
    browser.wait_for("document.querySelector('#confirm-dialog').open")
    click(browser, "#confirm-ok")
    gone = browser.wait_for(
        "(t => t.includes('已删除') && t)(document.querySelector('#library-status').textContent)", 60
    )
    assert "关于楚怡基地建设的通知" in gone and "还有 1 份" in gone
    browser.wait_for("document.querySelectorAll('#library-rows tr').length === 1")
    assert browser.evaluate("document.querySelector('#key-dialog').open") is False
    shots(browser, "04-deleted")

    # Scoping the chat to a document: the chat view opens, limited to it.
    click(browser, "#library-rows .scope-doc")
    browser.wait_for("!document.querySelector('#view-chat').hidden && !document.querySelector('#scope').hidden")
    assert "湖南省职业教育楚怡行动计划" in browser.evaluate("document.querySelector('#scope').textContent")
    ask(browser, "这份文件由哪些部门联合发布？")  # sent with `document`: 这份文件 is the scoped one
    answer = last_answer(browser)
    assert "湖南省教育厅" in answer
    assert "《湖南省职业教育楚怡行动计划》" in browser.evaluate("document.querySelector('.msg.bot .meta').textContent")
    seed_id = browser.evaluate("document.querySelector('#library-rows tr').dataset.id")
    assert browser.evaluate("document.querySelector('#search-document').value") == seed_id
    shots(browser, "05-scoped-chat")
