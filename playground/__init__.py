"""The app's UI helpers: session state, figure builders (pure functions), and the string catalog."""
