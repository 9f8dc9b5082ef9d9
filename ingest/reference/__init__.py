"""Reference data: the official catalogues (专业目录, GB/T 4754, institution list) and our curated knowledge."""
