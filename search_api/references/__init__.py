"""Structural references (劳动法第九条, 《教育法》第五条, 第二百六十二条之二, 第二章, a plan's 二（一）2):
parsed from a question, resolved against the library's works and their versions to the passages of that
article or section, or reported as not found. Used by search (the passages ranked first) and ask (quoted
whole)."""
