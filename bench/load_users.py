"""Who bench/load_test.py sends at the server: locust's users, run headless by it.

Analysts browse and search: the timeline with filters and words, claim pages, actor pages and
the JSON API. Editors sign in with their own accounts and edit claims through the editor's form
(`POST /claims/{id}/edit` with the page's csrf_token and version), all on a small set of "hot"
claims, so that two editors sometimes edit the same version and one of them gets a 409: that is
the app's answer to a stale form, not an error. Every accepted edit is written to
BASEWATCH_LOAD_EDITS (one JSON line each) for bench/load_test.py to find in the database.

The plan (claim ids, slugs, words, hot claims, accounts) comes from BASEWATCH_LOAD_PLAN.
"""

import json
import os
import random
import re
import threading
import time
from itertools import count
from pathlib import Path
from typing import Any
from urllib.parse import quote

from locust import HttpUser, between, task

PLAN: dict[str, Any] = json.loads(Path(os.environ["BASEWATCH_LOAD_PLAN"]).read_text())
EDITS = Path(os.environ["BASEWATCH_LOAD_EDITS"])
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
_write = threading.Lock()


class Analyst(HttpUser):
    """Reads: the timeline filtered and searched, claims, actors, the API."""

    fixed_count = PLAN["analysts"]
    wait_time = between(0.5, 2.0)

    @task(4)
    def timeline(self) -> None:
        query = random.choice(
            [
                "",
                f"?q={quote(random.choice(PLAN['words']))}",
                f"?base={random.choice(['hmeimim', 'tartus'])}",
                f"?stance={random.choice(['stay', 'leave', 'review'])}&from=2024-01-01",
                f"?speaker={random.choice(PLAN['slugs'])}",
            ]
        )
        self.client.get(f"/{query}", name="/ [timeline]")

    @task(3)
    def claim(self) -> None:
        self.client.get(f"/claims/{random.choice(PLAN['claims'])}", name="/claims/{id}")

    @task(1)
    def actor(self) -> None:
        self.client.get(f"/actors/{random.choice(PLAN['slugs'])}", name="/actors/{slug}")

    @task(2)
    def api(self) -> None:
        word = quote(random.choice(PLAN["words"]))
        self.client.get(f"/api/claims?q={word}", name="/api/claims?q=")
        self.client.get(f"/claims/{random.choice(PLAN['claims'])}.json", name="/claims/{id}.json")


class Editor(HttpUser):
    """Signs in once, then opens a hot claim's editor, reads it, and saves a new note."""

    fixed_count = len(PLAN["editors"])
    wait_time = between(0.2, 1.0)
    _accounts = iter(PLAN["editors"])
    _numbers = count(1)

    def on_start(self) -> None:
        self.account = next(Editor._accounts)
        page = self.client.get("/login", name="/login")
        form = {"username": self.account, "password": PLAN["password"], "next": "/review"}
        form["csrf_token"] = TOKEN.findall(page.text)[0]
        with self.client.post("/login", data=form, catch_response=True) as signed:
            if "/login" in signed.url:  # sent back to the form: not signed in
                signed.failure(f"{self.account} could not sign in")

    @task
    def edit(self) -> None:
        claim = random.choice(PLAN["hot"])
        page = self.client.get(f"/claims/{claim}/edit", name="/claims/{id}/edit")
        version = int(VERSION.findall(page.text)[0])
        token = TOKEN.findall(page.text)[0]
        time.sleep(random.uniform(0.3, 1.5))  # reading it: another editor may save it meanwhile
        note = f"load {self.account} #{next(Editor._numbers)}"
        form = {"csrf_token": token, "version": str(version), "fields": "note", "note": note}
        with self.client.post(
            f"/claims/{claim}/edit",
            data=form,
            name="/claims/{id}/edit",
            allow_redirects=False,
            catch_response=True,
        ) as saved:
            if saved.status_code == 303:
                self._record({"claim": claim, "version": version + 1, "note": note})
                saved.success()
            elif saved.status_code == 409:
                self._record({"claim": claim, "conflict": True})
                saved.success()  # a stale version, refused as it should be
            else:
                saved.failure(f"{saved.status_code}: {saved.text[:200]}")

    def _record(self, outcome: dict[str, Any]) -> None:
        line = json.dumps(outcome | {"user": self.account})
        with _write, EDITS.open("a") as out:
            out.write(line + "\n")
