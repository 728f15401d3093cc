# Backprop Playground in a container: python:3.12-slim, a non-root user, a health check on /_stcore/health, served by
# serve.py (the app with the headers that keep other sites from framing it; see README's Hosted in public).
#   docker build -t backprop-playground .
#   docker run -p 8501:8501 backprop-playground
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY .streamlit ./.streamlit
COPY app.py ./
COPY serve.py ./
COPY nn_core ./nn_core
COPY playground ./playground
COPY pages ./pages
COPY static ./static

RUN useradd --create-home --uid 10001 learner && chown -R learner /app
USER learner

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read() != b'ok')"
CMD ["streamlit", "run", "serve.py", "--server.address=0.0.0.0", "--server.port=8501", "--server.headless=true"]
