"""Once per server process: Streamlit's internals (in one module, internals.py) and memory given back."""
