"""The hostile-input matrix and the fuzzer share one copy of the reference store per session (loading
and embedding the catalogues takes a minute): the reference fixtures, imported by name, once here."""

from tests.reference.conftest import loaded, match_data_dir, reference_dir  # noqa: F401  (fixtures by name)
