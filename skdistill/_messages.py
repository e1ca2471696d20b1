"""Wording shared by error messages and progress lines."""

# SPDX-License-Identifier: BSD-3-Clause


def count_noun(count, singular, plural=None):
    """Return ``count`` followed by the noun, singular when the count is 1.

    Parameters
    ----------
    count : int
        The number to print.

    singular : str
        The noun for one.

    plural : str, default=None
        The noun for any other count; None adds an "s" to ``singular``.

    Returns
    -------
    str
        For example ``"1 row"`` or ``"3 classes"``.

    Examples
    --------
    >>> from skdistill._messages import count_noun
    >>> count_noun(1, "row"), count_noun(3, "class", "classes")
    ('1 row', '3 classes')
    """
    if count == 1:
        return f"{count} {singular}"
    return f"{count} {plural or singular + 's'}"
