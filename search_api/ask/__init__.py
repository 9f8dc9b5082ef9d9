"""Question answering: entity linking, intent, graph answers, extractive answers, optional LLM phrasing."""
