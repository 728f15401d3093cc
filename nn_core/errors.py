"""The one error type for bad input anywhere in the engine."""


class InputError(ValueError):
    """Raised for any input the engine cannot use: a bad cell, setting, shape or scenario string.

    The message (English) names the row/column or the field, so a script can show it as it is. ``kind`` and
    ``values`` say the same for a page that speaks another language: a page shows its own sentence for ``kind``
    with ``values`` filled in (numbers and names the engine made, never the input's own text).
    """

    def __init__(self, message: str, kind: str | None = None, **values):
        super().__init__(message)
        self.kind = kind
        self.values = values
