"""Query strings of Kombo list endpoints (seed 002, ``GET /lms/course-progressions``).

Parameters, all optional::

    cursor                      string (opaque ``next`` of the previous page)
    page_size                   integer 1..250, default 100
    updated_after               Kombo date (format date-time + pattern)
    include_deleted             enum 'true' | 'false', default 'false'
    ignore_unsupported_filters  enum 'true' | 'false', default 'false'
    ids, user_ids, course_ids   comma-separated Kombo ids
    remote_ids                  comma-separated remote ids
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from strategies.dates import pattern_dates
from strategies.ids import cursors, id_lists, remote_ids

MIN_PAGE_SIZE, MAX_PAGE_SIZE = 1, 250
BOOLEAN_STRINGS = ("true", "false")


def page_sizes() -> st.SearchStrategy[int]:
    """``page_size``: 1..250, with the bounds and the default (100) favoured."""
    return st.one_of(
        st.sampled_from([MIN_PAGE_SIZE, 100, MAX_PAGE_SIZE]),
        st.integers(MIN_PAGE_SIZE, MAX_PAGE_SIZE),
    )


def list_queries() -> st.SearchStrategy[dict[str, Any]]:
    """Valid query dicts for a list endpoint: any subset of the parameters above."""
    return st.fixed_dictionaries(
        {},
        optional={
            "cursor": cursors(),
            "page_size": page_sizes(),
            "updated_after": pattern_dates(),
            "include_deleted": st.sampled_from(BOOLEAN_STRINGS),
            "ignore_unsupported_filters": st.sampled_from(BOOLEAN_STRINGS),
            "ids": id_lists(),
            "remote_ids": id_lists(remote_ids()),
            "user_ids": id_lists(),
            "course_ids": id_lists(),
        },
    )


def invalid_page_sizes() -> st.SearchStrategy[int]:
    """``page_size`` outside 1..250 (0, negatives, 251 and above)."""
    return st.one_of(
        st.sampled_from([0, -1, MAX_PAGE_SIZE + 1]),
        st.integers(max_value=0),
        st.integers(min_value=MAX_PAGE_SIZE + 1),
    )
