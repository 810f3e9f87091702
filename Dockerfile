FROM python:3.12-slim
WORKDIR /srv/basewatch
# FriBiDi: Pillow's raqm layout needs it to draw Arabic share images in the right order.
RUN apt-get update && apt-get install -y --no-install-recommends libfribidi0 && rm -rf /var/lib/apt/lists/*
COPY . .
RUN pip install --no-cache-dir -e .
EXPOSE 8000
CMD ["basewatch", "serve", "--host", "0.0.0.0", "--port", "8000"]
