import subprocess
import sys


def test_nn_core_imports_without_streamlit_or_plotly():
    code = "import sys, nn_core; bad = {'streamlit', 'plotly', 'pandas'} & set(sys.modules); sys.exit(sorted(bad) or 0)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
