"""The app's UI package: the session (the only owner of st.session_state), pure figure builders, the string catalog,
and the panels the pages are made of. figures.py imports neither Streamlit nor pandas."""
