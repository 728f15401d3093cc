"""The Playground's training column: controls, read-outs, the chosen view, rewind (one fragment: a click here
reruns only this column)."""
