"""Dashboard pages: each module has a ``render()`` and calls it when Streamlit runs the file."""
