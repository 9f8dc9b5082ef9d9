"""The one-line reason a school's director reads: plain Chinese, built from the strongest evidence of a
score, with no similarity numbers and no raw code arrows (those stay in `why` and `evidence`).

"工程机械产业链的建筑工程用机械制造环节需要，专业目录对照表直接对应" — where the industry needs the 专业
(the GB/T code of the chain the crosswalk row met), how the crosswalk holds (directly, through a broader or
narrower code, or a related one), then what else supports it (policy texts naming both).
"""

from __future__ import annotations

from search_api.matching.forward import IndustryQuery
from search_api.matching.signals import CrosswalkHit, Scored

# A signal counts as a reason when it carried at least this much of its [0, 1] range (the same line
# explain._SHOWN draws for the technical `why`).
STRONG = 0.3
# Rescaled similarities this high mean "nearly the same words" (the best candidate of a query maps to 1).
NEAR = 0.6


def _how(hit: CrosswalkHit) -> str:
    """How a crosswalk row meets the other side's code (forward.overlap / reverse.reverse_overlap values)."""
    if hit.overlap >= 1.0:
        return "专业目录对照表直接对应"
    if hit.overlap >= 0.6:
        return "专业目录对照表对应其上下位行业"
    return "专业目录对照表对应同类行业"


def _subject(target: IndustryQuery) -> str:
    """How the industry side is named in a sentence: 工程机械产业链, 汽车制造业, “无人机”."""
    base = target.name.split("（")[0]
    if target.kind == "chain":
        return base + ("链" if base.endswith("产业") else "产业链")
    if target.kind == "industry":
        return base
    return f"“{base}”"


def _also(scored: Scored) -> str:
    return "，政策文件中也同时提到" if scored.passages else ""


def specialty_reason(scored: Scored, target: IndustryQuery) -> str:
    """Why a 专业 serves the industry or chain asked about."""
    subject = _subject(target)
    hit = scored.crosswalk_hit
    if hit is not None and scored.crosswalk >= STRONG:
        where = hit.via_name or hit.industry_name
        if target.kind == "chain" and where:
            need = f"{subject}的{where}环节需要"
        elif where and where != target.name:
            need = f"{subject}涉及的{where}需要"
        else:
            need = f"{subject}需要"
        return f"{need}，{_how(hit)}{_also(scored)}"
    if scored.lexical > 0:
        return f"专业名称直接对应{subject}{_also(scored)}"
    if scored.description >= NEAR and scored.best_phrase:
        return f"对口{subject}的{scored.best_phrase}{_also(scored)}"
    if max(scored.name, scored.industry) >= NEAR:
        return f"专业名称与{subject}意思相近{_also(scored)}"
    if hit is not None and scored.crosswalk > 0:
        return f"与{subject}有关联，{_how(hit)}{_also(scored)}"
    if scored.passages:
        return f"政策文件中与{subject}同时提到"
    return f"与{subject}关联较弱，仅供参考"


def industry_reason(scored: Scored, specialty: str) -> str:
    """Why an industry is one a 专业 serves."""
    hit = scored.crosswalk_hit
    if hit is not None and scored.crosswalk >= STRONG:
        return f"{specialty}属于{hit.class_name}，{_how(hit)}这一行业{_also(scored)}"
    if scored.lexical > 0:
        return f"行业名称与{specialty}直接相关{_also(scored)}"
    if scored.name >= NEAR:
        return f"行业名称与{specialty}意思相近{_also(scored)}"
    if hit is not None and scored.crosswalk > 0:
        return f"{specialty}属于{hit.class_name}，与这一行业有关联{_also(scored)}"
    if scored.passages:
        return f"政策文件中与{specialty}同时提到"
    return "关联较弱，仅供参考"


def chain_reason(scored: Scored, chain: str, place: int) -> str:
    """Why a chain is one a 专业 serves: where it stands among the chain's 专业, and what it rests on."""
    subject = chain + ("链" if chain.endswith("产业") else "产业链")
    head = f"在{subject}所需的同层次专业中排第{place}位"
    hit = scored.crosswalk_hit
    if hit is not None and scored.crosswalk >= STRONG:
        where = hit.via_name or hit.industry_name
        return f"{head}，{where}环节需要，{_how(hit)}{_also(scored)}"
    if scored.lexical > 0:
        return f"{head}，专业名称直接对应该产业链{_also(scored)}"
    if max(scored.name, scored.industry, scored.description) >= NEAR:
        return f"{head}，专业名称与该产业链意思相近{_also(scored)}"
    return head + _also(scored)
