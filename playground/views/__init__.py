"""What the learner sees, as pure functions: figures (Plotly JSON) with their text alternatives, and matrices as
HTML tables."""
