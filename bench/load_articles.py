"""How long `basewatch load` takes for 2,000 generated articles with 10 claims each.

    python -m bench.load_articles [--articles 2000] [--claims 10]

Uses DATABASE_URL, or a throw-away embedded PostgreSQL under var/bench. Loads twice: the first
load adds everything, the second must change nothing (and shows what skipping costs).
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.generate import write_articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--claims", type=int, default=10)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="basewatch-bench-"))
    try:
        files = work / "articles"
        write_articles(files, args.articles, args.claims)
        env = {**os.environ, "BASEWATCH_DATA_DIR": str(work / "pgdata")}
        basewatch = [sys.executable, "-m", "app.cli"]
        subprocess.run([*basewatch, "db", "upgrade"], check=True, env=env)
        for label in ("first load", "second load"):
            started = time.perf_counter()
            subprocess.run([*basewatch, "load", str(files)], check=True, env=env)
            print(
                f"{label}: {time.perf_counter() - started:.1f} s for {args.articles} articles "
                f"with {args.claims} claims each"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
