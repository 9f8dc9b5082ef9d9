"""When ask may answer, without the model or a store: the support judge's words, focus and policy."""

from __future__ import annotations

from graph.models import PassageHit, SearchFilters, StoreStats
from graph.text import Tokenizer
from search_api.ask.support import Evidence, Support, SupportJudge, SupportPolicy
from search_api.expansion import Thesaurus


class _Library:
    """A library of 1,000 passages where no word is common (every keyword search finds nothing)."""

    tokenizer = Tokenizer()

    def revision(self) -> int:
        return 1

    def stats(self) -> StoreStats:
        return StoreStats(nodes={"Passage": 1000})

    def keyword_search(self, tokens: list[str], k: int, filters: SearchFilters | None = None) -> list[PassageHit]:
        return []


def _judge(policy: SupportPolicy | None = None) -> SupportJudge:
    return SupportJudge(_Library(), Thesaurus(groups=[["加班", "延长工作时间"]]), policy)  # type: ignore[arg-type]


SCHOOL = Evidence(
    title="湖南省职业教育“楚怡”行动计划",
    text="支持湖南工业职业技术学院、新化县楚怡工业学校建设“楚怡”文化传承基地。",
)


def test_what_is_asked_must_be_in_the_evidence() -> None:
    judge = _judge()
    support = judge.assess("湖南工业职业技术学院现任校长是谁？", [SCHOOL], meaning=0.5)
    assert "校长" in support.focus and "校长" in support.missing
    assert not support.focus_held
    assert not judge.policy.supported(support)
    # The same evidence with the post in it holds what is asked.
    named = Evidence(title=SCHOOL.title, text=SCHOOL.text + "湖南工业职业技术学院现任校长由省委任命。")
    assert judge.assess("湖南工业职业技术学院现任校长是谁？", [named], meaning=0.5).focus_held


def test_a_thesaurus_word_or_all_parts_count_as_found() -> None:
    judge = _judge()
    overtime = Evidence(title="中华人民共和国劳动法", text="用人单位由于生产经营需要，经与工会协商后可以延长工作时间。")
    support = judge.assess("单位能让员工加班吗？", [overtime], meaning=0.6)
    assert "加班" in support.words and "加班" not in support.missing
    fee = Evidence(title="规定", text="学费的收取标准由省人民政府制定。")
    assert "学费标准" not in judge.assess("学费标准由谁定？", [fee], meaning=0.6).missing


def test_the_policy_thresholds() -> None:
    policy = SupportPolicy()
    assert policy.supported(Support(coverage=0.5, meaning=0.1))
    assert not policy.supported(Support(coverage=0.49, meaning=0.79))
    assert policy.supported(Support(coverage=0.0, meaning=0.8))  # an answer that means what was asked
    assert not policy.supported(Support(coverage=0.9, meaning=0.5, focus_held=False))
    assert policy.supported(Support(coverage=0.9, meaning=0.85, focus_held=False))
    assert not policy.supported(Support(coverage=1.0, meaning=0.99, places=["上海市"]))
    assert SupportPolicy(require_focus=False).supported(Support(coverage=0.9, meaning=0.5, focus_held=False))


def test_a_question_of_question_words_only_is_covered() -> None:
    support = _judge().assess("是什么？", [SCHOOL], meaning=0.3)
    assert support.words == [] and support.coverage == 1.0
