"""Turning a user's words into an IndustryQuery (chain, GB/T industry, free words) or a 专业.

Order for industries: a GB/T code (C36, 36, 3612); a chain by name or alias (also inside longer words:
湖南工程机械产业链 → 工程机械); a GB/T name; otherwise meaning: the nearest chain when it is nearly
the same words, else the nearest GB/T 大类/中类/小类 names, which become the query's codes.
"""

from __future__ import annotations

import re

import numpy as np

from search_api.matching.errors import UnknownIndustry, UnknownSpecialty
from search_api.matching.forward import IndustryQuery
from search_api.matching.index import ChainItem, IndustryItem, Link, ReferenceIndex, SpecialtyItem
from search_api.matching.signals import row_weight
from search_api.matching.vectors import NameVectors

_CODE = re.compile(r"([A-Ta-t])?\s*(\d{2,4})?")
_PREFIX = ("湖南省", "湖南")
_SUFFIX = ("产业链", "产业集群", "产业", "行业", "领域")
# bge-small-zh cosines: a query this close to a chain's name or alias means that chain; a query whose
# best GB/T name is below INDUSTRY_MIN is not about any industry (gibberish scores ~0.45).
CHAIN_MIN = 0.88
INDUSTRY_MIN = 0.5
# Words this close to a 专业 name (氢能 / 氢能技术应用) borrow that 专业's crosswalk codes.
SPECIALTY_NEAR = 0.8
SPECIALTY_BAND = 0.03
# Free words map onto the GB/T names within this cosine of the best one (at most MAX_CODES of them).
CODE_BAND = 0.08
MAX_CODES = 5


def normalise(text: str) -> str:
    """Drop whitespace and the words that wrap an industry's name (湖南…产业链) when something remains."""
    out = re.sub(r"\s+", "", text)
    for p in _PREFIX:
        if out.startswith(p) and len(out) - len(p) >= 2:
            out = out[len(p) :]
    for s in _SUFFIX:
        if out.endswith(s) and len(out) - len(s) >= 2:
            out = out[: -len(s)]
    return out


def chain_query(chain: ChainItem) -> IndustryQuery:
    return IndustryQuery(
        kind="chain",
        id=chain.id,
        name=chain.name,
        terms=[chain.name, *chain.aliases],
        phrases=chain.products,
        links=chain.links,
    )


def industry_query(index: ReferenceIndex, ind: IndustryItem) -> IndustryQuery:
    return IndustryQuery(
        kind="industry",
        id=ind.id,
        name=ind.name,
        code=ind.code,
        terms=[ind.name],
        links=[Link(code=ind.code, weight=1.0, role="查询")],
    )


def _by_code(index: ReferenceIndex, query: str) -> IndustryItem | None:
    m = _CODE.fullmatch(query.strip())
    if not m or not (m.group(1) or m.group(2)):
        return None
    letter, digits = (m.group(1) or "").upper(), m.group(2)
    if digits is None:
        ind = index.industries.get(letter)
    else:
        ind = index.industries.get(digits)
        if ind is not None and letter and ind.section != letter:
            return None
    return ind


def _chain_by_words(index: ReferenceIndex, query: str) -> tuple[ChainItem, str] | None:
    """The chain whose name, alias or product the query is (or whose name or alias it holds), with the
    term that matched."""
    q = normalise(query)
    for c in sorted(index.chains.values(), key=lambda c: c.name):
        for term in (c.name, *c.aliases):
            if normalise(term) == q:
                return c, term
    # One of a chain's products by name (碳纤维 of 新材料): that chain, focused on the product.
    for c in sorted(index.chains.values(), key=lambda c: c.name):
        for product in c.products:
            if normalise(product) == q:
                return c, product
    # The query holds a chain's name or alias (湖南工程机械产业链, 工程机械再制造): the longest one wins.
    best: tuple[int, str, str] | None = None
    for c in index.chains.values():
        for term in (c.name, *c.aliases):
            t = normalise(term)
            if len(t) >= 2 and t in q and (best is None or (len(t), c.name, term) > best):
                best = (len(t), c.name, term)
    return (index.chains[best[1]], best[2]) if best else None


def focus(index: ReferenceIndex, vectors: NameVectors, target: IndustryQuery, term: str) -> IndustryQuery:
    """A chain asked for by one of its aliases (动漫游戏 of 视频文创): its GB/T codes nearest the alias
    weigh most (0.4–1.0 of their role weight), and the alias is what names are compared with first."""
    names = [index.industries[lk.code].name if lk.code in index.industries else lk.code for lk in target.links]
    if not names:
        return target
    sims = vectors.matrix(names) @ vectors.transient([term])[0]
    lo, hi = float(sims.min()), float(sims.max())
    spread = hi - lo if hi - lo > 1e-6 else 1.0
    links = [
        lk.model_copy(update={"weight": round(lk.weight * (0.4 + 0.6 * (float(s) - lo) / spread), 3)})
        for lk, s in zip(target.links, sims, strict=True)
    ]
    return target.model_copy(
        update={"name": f"{target.name}（{term}）", "terms": [term, *target.terms], "links": links}
    )


def resolve_industry(index: ReferenceIndex, vectors: NameVectors, query: str) -> IndustryQuery:
    ind = _by_code(index, query)
    if ind is not None:
        return industry_query(index, ind)
    found = _chain_by_words(index, query)
    if found is not None:
        chain, term = found
        target = chain_query(chain)
        return target if normalise(term) == normalise(chain.name) else focus(index, vectors, target, term)
    q = normalise(query)
    named = [i for i in index.industries.values() if i.name in (query.strip(), q)]
    if named:
        return industry_query(index, min(named, key=lambda i: len(i.code)))
    return _by_meaning(index, vectors, query.strip())


def _by_meaning(index: ReferenceIndex, vectors: NameVectors, query: str) -> IndustryQuery:
    qv = vectors.transient([query])[0]
    chains = list(index.chains.values())
    terms = [(c, t) for c in chains for t in (c.name, *c.aliases)]
    # A query inside a chain's name is broader than the chain (新能源 ⊂ 新能源汽车): no meaning match there.
    q = normalise(query)
    terms = [(c, t) for c, t in terms if not (q in normalise(t) and q != normalise(t))]
    if terms:
        sims = vectors.matrix([t for _, t in terms]) @ qv
        k = int(np.argmax(sims))
        if float(sims[k]) >= CHAIN_MIN:
            return chain_query(terms[k][0])
    industries = [i for i in index.industries.values() if i.level != "门类"]
    if not industries:
        raise UnknownIndustry(f"no industries loaded to match {query!r} against")
    sims = vectors.matrix([i.name for i in industries]) @ qv
    order = np.argsort(-sims, kind="stable")
    best = float(sims[order[0]])
    links: dict[str, Link] = {}
    if best >= INDUSTRY_MIN:
        for k in order[:MAX_CODES]:
            cos = float(sims[k])
            if best - cos > CODE_BAND:
                break
            # Within the band, nearer names weigh more (best 1.0, edge of the band 0.6).
            links[industries[int(k)].code] = Link(
                code=industries[int(k)].code,
                weight=round(1.0 - 5 * (best - cos), 3),
                role="语义",
                reason=f"与行业“{industries[int(k)].name}”语义相近 ({cos:.2f})",
            )
    for link in _via_specialties(index, vectors, qv):
        if link.code not in links or links[link.code].weight < link.weight:
            links[link.code] = link
    if not links:
        raise UnknownIndustry(
            f"{query!r} names no industry chain, GB/T 4754 industry, 专业 or code we recognise "
            f"(closest industry: {industries[int(order[0])].name}, similarity {best:.2f})"
        )
    ranked = sorted(links.values(), key=lambda lk: (-lk.weight, lk.code))
    return IndustryQuery(kind="text", name=query, terms=[query, normalise(query)], links=ranked)


def _via_specialties(index: ReferenceIndex, vectors: NameVectors, qv: np.ndarray) -> list[Link]:
    """Words that nearly name a 专业 (氢能 → 氢能技术应用) lead to the industries our crosswalk gives that
    专业: its class's rows that hold for it, weighted by how they hold and how near the name is."""
    names = sorted({s.name for s in index.specialties})
    if not names:
        return []
    sims = vectors.matrix(names) @ qv
    best = float(sims.max())
    if best < SPECIALTY_NEAR:
        return []
    near = {names[k]: float(sims[k]) for k in np.argsort(-sims)[:3] if best - float(sims[k]) <= SPECIALTY_BAND}
    out: dict[str, Link] = {}
    for spec in index.specialties:
        cos = near.get(spec.name)
        cls = index.classes.get(spec.class_id)
        if cos is None or cls is None:
            continue
        for row in cls.links:
            weight = round(row_weight(row, spec.id) * (1.0 - 5 * (best - cos)), 3)
            if weight >= 0.5 and (row.code not in out or out[row.code].weight < weight):
                out[row.code] = Link(
                    code=row.code,
                    weight=weight,
                    role="专业对照",
                    reason=f"与专业“{spec.name}”相近 ({cos:.2f})；{cls.name}→{row.code}",
                )
    return list(out.values())


def resolve_specialty(index: ReferenceIndex, query: str, level: str | None) -> list[SpecialtyItem]:
    """专业 by code or name (exact, then the only one containing the words); several levels may share a name."""
    q = re.sub(r"\s+", "", query).upper()
    pool = [s for s in index.specialties if level is None or s.level == level]
    found = [s for s in pool if s.code.upper() == q or s.name == q]
    if not found:
        found = [s for s in pool if core_equal(s.name, q)]
    if not found:
        containing = [s for s in pool if q in s.name]
        names = {s.name for s in containing}
        if len(names) == 1:
            found = containing
        elif names:
            raise UnknownSpecialty(f"{query!r} is part of several 专业 names: {', '.join(sorted(names)[:8])}")
    if not found:
        where = f" at {level}" if level else ""
        raise UnknownSpecialty(f"no 专业{where} is named or coded {query!r}")
    order = {"高职专科": 0, "职业本科": 1, "中职": 2}
    return sorted(found, key=lambda s: (order.get(s.level, 3), s.code))


def core_equal(name: str, query: str) -> bool:
    """新能源汽车 asks for 新能源汽车技术: equal once a trailing 技术 is dropped from either side."""
    return name.removesuffix("技术") == query.removesuffix("技术")


# Words that join the parts of a compound industry name (现代种业与粮食生产, 工程机械和农业机械, 茶及食品).
_JOINERS = re.compile(r"以及|与|和|及|、|/|＋|\+")


def _exact(index: ReferenceIndex, query: str) -> bool:
    """The words name one thing as they stand: a code, a chain's name, alias or product, a GB/T name
    (中小航空发动机及航空航天装备 and 铁路、船舶、航空航天和其他运输设备制造业 are one name each)."""
    if _by_code(index, query) is not None:
        return True
    q = normalise(query)
    for c in index.chains.values():
        if any(normalise(t) == q for t in (c.name, *c.aliases, *c.products)):
            return True
    return any(i.name in (query.strip(), q) for i in index.industries.values())


def compound_parts(index: ReferenceIndex, query: str) -> list[str]:
    """The parts of a compound name (A与B, A和B, A及B, A、B), each to be matched on its own; the words
    themselves when they are one name, or when a part would be a single character."""
    if _exact(index, query):
        return [query]
    parts = [p for p in (normalise(x) for x in _JOINERS.split(normalise(query))) if p]
    if len(parts) < 2 or any(len(p) < 2 for p in parts):
        return [query]
    return list(dict.fromkeys(parts))
