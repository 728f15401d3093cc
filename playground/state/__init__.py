"""One learner's state: the session a browser tab has, the actions that change it, and the widgets' values."""
