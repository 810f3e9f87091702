"""A backup's round trip: `basewatch export --all` from an archive with editors' work in it,
`basewatch load` into an empty database, and the canonical checksums of both compared.

    python -m bench.roundtrip [--claims 100000] [--seed 7]

Uses DATABASE_URL's server (it needs to create databases) or a throw-away embedded PostgreSQL.
The archive comes from bench/archive.py (COPY-speed, with tags and some edited claims); `enrich`
then adds what editors leave behind: more edits with notes, tags, statement groups decided by
editors, merged claims, review decisions, an actor to review and a moved actor's old address.
"""

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, func, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.db import migrate
from app.db.engine import make_engine, make_sessionmaker
from app.ingest.checksum import Part, checksums
from app.models import (
    Actor,
    ActorRedirect,
    Claim,
    ReviewDecision,
    Revision,
    Statement,
    StatementMember,
    Tag,
    User,
    claim_tags,
)
from app.models.vocab import ChangeSource, Role, Stance

EDITORS = [("amal", Role.ADMIN), ("boris", Role.EDITOR), ("carla", Role.EDITOR)]
START = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


@dataclass
class RoundTrip:
    source: dict[str, Part]
    restored: dict[str, Part]
    seconds: dict[str, float] = field(default_factory=dict)
    export_bytes: int = 0

    @property
    def identical(self) -> bool:
        return self.source == self.restored

    def summary(self) -> str:
        lines = [f"{'part':<11} {'rows':>9}  source sha256 / restored sha256"]
        for name, part in self.source.items():
            other = self.restored[name]
            mark = "=" if part == other else "≠"
            lines.append(
                f"{name:<11} {part.rows:>9}  {part.sha256[:16]} {mark} {other.sha256[:16]}"
                + ("" if part.rows == other.rows else f" ({other.rows} rows)")
            )
        lines.append(
            f"export: {self.export_bytes / 1e6:.1f} MB; "
            + ", ".join(f"{k} {v:.1f} s" for k, v in self.seconds.items())
        )
        lines.append("identical" if self.identical else "DIFFERENT")
        return "\n".join(lines)


def enrich(session: Session, *, seed: int = 7, share: float = 0.05) -> dict[str, int]:
    """Leave editors' work on about `share` of the claims, as the editors' services write it:
    versions move on, and every change has its revision."""
    rng = random.Random(seed)
    users = _editors(session)
    claims = session.execute(
        select(Claim.id, Claim.speaker_id, Claim.article_id, Claim.stance, Claim.version).order_by(
            Claim.id
        )
    ).all()
    clock = iter(START + timedelta(minutes=7 * n) for n in range(10**7))
    picked = rng.sample(claims, max(4, int(len(claims) * share)))
    counts = {"edits": 0, "groups": 0, "merges": 0, "reviews": 0}
    versions = {c.id: c.version for c in claims}
    for row in picked:
        stance = rng.choice([s.value for s in Stance if s != row.stance])
        versions[row.id] += 1
        _change(session, row.id, versions[row.id], rng.choice(users), next(clock),
                "stance", row.stance, stance, stance=stance)  # fmt: skip
        if rng.random() < 0.3:
            versions[row.id] += 1
            note = rng.choice(["checked against the video", "نص التصريح من وكالة سانا"])
            _change(session, row.id, versions[row.id], rng.choice(users), next(clock),
                    "note", None, note, note=note)  # fmt: skip
        counts["edits"] += 1
    counts["tags"] = _tag(session, rng, [c.id for c in picked], users, clock, versions)
    by_speaker: dict[int, list[int]] = {}
    for c in claims:
        by_speaker.setdefault(c.speaker_id, []).append(c.id)
    articles = {c.id: c.article_id for c in claims}
    grouped = set(session.scalars(select(StatementMember.claim_id)))
    for group in _groups(rng, by_speaker, articles, grouped, len(picked) // 2):
        statement = Statement()
        session.add(statement)
        session.flush()
        decided = rng.random() < 0.5
        for claim_id in group:
            session.add(
                StatementMember(
                    claim_id=claim_id,
                    statement_id=statement.id,
                    confirmed=decided,
                    decided_by=rng.choice(users) if decided else None,
                    decided_at=next(clock) if decided else None,
                )
            )
        counts["groups"] += 1
        if rng.random() < 0.3:  # the later report turns out to duplicate the earlier one
            first, later = min(group), max(group)
            versions[first] += 1
            _change(session, first, versions[first], rng.choice(users), next(clock),
                    "merged_into", None, later, merged_into_id=later)  # fmt: skip
            counts["merges"] += 1
    for claim_id in rng.sample([c.id for c in claims], max(2, len(claims) // 100)):
        rejected = rng.random() < 0.3
        session.add(
            ReviewDecision(
                claim_id=claim_id,
                user_id=rng.choice(users),
                at=next(clock),
                decision="rejected" if rejected else rng.choice(["approved", "corrected"]),
                fields=[] if rejected else rng.choice([[], ["stance"], ["date", "span"]]),
                reason="not_about_bases" if rejected else None,
                extractor="bench-extractor/1",
            )
        )
        counts["reviews"] += 1
    _actors(session)
    session.flush()
    return counts


def _editors(session: Session) -> list[int]:
    ids = []
    for name, role in EDITORS:
        user = session.scalar(select(User).where(User.username == name))
        if user is None:
            user = User(username=name, role=role.value, password_hash="$argon2id$not-a-real-hash")
            session.add(user)
            session.flush()
        ids.append(user.id)
    return ids


def _change(
    session: Session,
    claim_id: int,
    version: int,
    user_id: int,
    at: datetime,
    name: str,
    old: object,
    new: object,
    **values: object,
) -> None:
    session.execute(
        update(Claim)
        .where(Claim.id == claim_id)
        .values(version=version, updated_at=at, **values)
        .execution_options(synchronize_session=False)
    )
    session.add(
        Revision(
            claim_id=claim_id,
            version=version,
            source=ChangeSource.EDITOR,
            user_id=user_id,
            at=at,
            field=name,
            old_value=old,
            new_value=new,
        )
    )


def _tag(
    session: Session,
    rng: random.Random,
    ids: list[int],
    users: list[int],
    clock: Iterator[datetime],
    versions: dict[int, int],
) -> int:
    names = ["مراجعة", "needs-source", "hmeimim-2025", "<b>bold</b> & \u202eflip"]
    for name in names:
        if session.scalar(select(Tag.id).where(Tag.name == name)) is None:
            session.add(Tag(name=name))
    session.flush()
    tags = {t.name: t.id for t in session.scalars(select(Tag))}
    tagged = 0
    for claim_id in ids[::3]:
        name = rng.choice(names)
        exists = session.scalar(
            select(func.count())
            .select_from(claim_tags)
            .where(claim_tags.c.claim_id == claim_id, claim_tags.c.tag_id == tags[name])
        )
        if exists:
            continue
        before = sorted(
            session.scalars(
                select(Tag.name)
                .join(claim_tags, claim_tags.c.tag_id == Tag.id)
                .where(claim_tags.c.claim_id == claim_id)
            )
        )
        session.execute(claim_tags.insert().values(claim_id=claim_id, tag_id=tags[name]))
        versions[claim_id] += 1
        _change(session, claim_id, versions[claim_id], rng.choice(users), next(clock),
                "tags", before, sorted([*before, name]))  # fmt: skip
        tagged += 1
    return tagged


def _groups(
    rng: random.Random,
    by_speaker: dict[int, list[int]],
    articles: dict[int, int],
    grouped: set[int],
    count: int,
) -> list[list[int]]:
    """Pairs and threes of one speaker's claims in different articles, in no group yet."""
    used = set(grouped)
    groups: list[list[int]] = []
    speakers = [ids for ids in by_speaker.values() if len(ids) > 2]
    for _ in range(count * 4):
        if len(groups) >= count or not speakers:
            break
        ids = rng.choice(speakers)
        group = [i for i in rng.sample(ids, min(3, len(ids))) if i not in used]
        if len({articles[i] for i in group}) == len(group) > 1:
            used.update(group)
            groups.append(group)
    return groups


def _actors(session: Session) -> None:
    """One actor still to review, and an old address that leads to another."""
    first = session.scalars(select(Actor).order_by(Actor.id)).first()
    if first is None:
        return
    first.needs_review = True
    if session.get(ActorRedirect, f"{first.slug}-old") is None:
        session.add(ActorRedirect(slug=f"{first.slug}-old", actor_id=first.id))


# --- the round trip ---------------------------------------------------------------------------


def basewatch(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The command as an operator runs it."""
    env = {**os.environ, "DATABASE_URL": url}
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", *args], capture_output=True, text=True, env=env
    )
    if result.returncode != 0:
        raise RuntimeError(f"basewatch {' '.join(args)} failed:\n{result.stderr}")
    return result


def checksums_of(url: str) -> dict[str, Part]:
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as session:
            return checksums(session)
    finally:
        engine.dispose()


def round_trip(source_url: str, target_url: str, folder: Path) -> RoundTrip:
    """Export the source with `--all` into `folder`, load that into the (empty) target."""
    seconds = {}
    started = time.perf_counter()
    basewatch(source_url, "export", "--all", "--out", str(folder))
    seconds["export"] = time.perf_counter() - started
    started = time.perf_counter()
    basewatch(target_url, "load", str(folder))
    seconds["load"] = time.perf_counter() - started
    size = sum(p.stat().st_size for p in folder.glob("*.json"))
    return RoundTrip(checksums_of(source_url), checksums_of(target_url), seconds, size)


# --- the benchmark ----------------------------------------------------------------------------


def new_database(admin_url: str) -> str:
    name = f"basewatch_roundtrip_{uuid.uuid4().hex[:8]}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    migrate.upgrade(url)
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    from app.db.local_pg import start_server
    from bench.archive import load_archive

    work = Path(tempfile.mkdtemp(prefix="basewatch-roundtrip-"))
    admin = os.environ.get("DATABASE_URL") or start_server(work / "pg", cleanup_mode="delete")
    source, target = new_database(admin), new_database(admin)
    started = time.perf_counter()
    print(load_archive(source, claims=args.claims, seed=args.seed).summary())
    engine = make_engine(source)
    with make_sessionmaker(engine).begin() as session:
        print("editors' work:", enrich(session, seed=args.seed))
    engine.dispose()
    print(f"archive built in {time.perf_counter() - started:.1f} s")
    result = round_trip(source, target, work / "backup")
    print(result.summary())
    if result.identical:
        shutil.rmtree(work / "backup")  # 160 MB for 100,000 claims; kept only to look at a failure
    else:
        print(f"the backup is in {work / 'backup'}")
    sys.exit(0 if result.identical else 1)


if __name__ == "__main__":
    main()
