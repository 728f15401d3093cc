"""The one error type for bad input anywhere in the engine."""


class InputError(ValueError):
    """Raised for any input the engine cannot use: a bad cell, setting, shape or scenario string.

    The message names the row/column or the field, so a page can show it to the learner as it is.
    """
