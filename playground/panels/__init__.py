"""The parts pages are drawn from (Streamlit): each page's preamble and look, the address bar, the sidebar, and the
Playground's columns (the data, the settings, the training column, why it is stuck)."""
