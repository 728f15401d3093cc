"""Taking a run away: a numpy script and a Jupyter notebook that reproduce it bit for bit, a self-contained HTML
replay, and its histories as CSV."""
