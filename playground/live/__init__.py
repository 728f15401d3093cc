"""Live training in the browser: the player's protocol (chunks of frames) and the component that plays them."""
