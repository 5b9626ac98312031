"""What the fuzz tests share: hypothesis settings and values a visitor or a probe may send."""

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# The examples share the fixtures' pages (function-scoped fixtures), derandomised so that
# a run on CI is reproducible; no deadline, the first request loads models.
FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Any text, including control characters, lone surrogates' neighbours, right-to-left marks
# and Hangul jamo; sometimes very long; sometimes shaped like markup or SQL.
TRICKS = [
    "",
    " ",
    "\x00",
    "\u202e",
    "\ufeff",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "${7*7}",
    "{{ 7|add:7 }}",
    "%s%s%n",
    "../../etc/passwd",
    "한",
    "서울" * 3000,
    "9" * 400,
    "-1",
    "1e309",
    "NaN",
    "0x10",
    "２０２５",
    "a@b",
    "@",
    "😀" * 50,
]
text = st.one_of(
    st.sampled_from(TRICKS),
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1000, max_size=6000),
)
# What a browser or a client may send for a form field: text, several values, or nothing.
field = st.one_of(st.none(), text, st.lists(text, max_size=3))


def form(data: dict) -> dict:
    """``data`` without the fields drawn as None (not sent)."""
    return {key: value for key, value in data.items() if value is not None}
