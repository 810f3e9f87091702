"""A value read once for every request waiting for it, never one read before a request arrived."""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from app.db.session import SharedRead


def test_requests_arriving_during_a_read_share_the_next_one(engine: Engine) -> None:
    reads: list[datetime] = []

    def slow_clock(session: Session) -> datetime:
        began = session.scalar(text("SELECT clock_timestamp()"))
        session.execute(text("SELECT pg_sleep(0.2)"))
        reads.append(began)
        return began

    shared = SharedRead(sessionmaker(engine), slow_clock)

    async def requests() -> tuple[datetime, list[datetime], datetime]:
        first = asyncio.create_task(shared.get())
        await asyncio.sleep(0.1)  # the first read is under way
        arrived = datetime.now().astimezone()
        during = await asyncio.gather(*(shared.get() for _ in range(5)))
        return await first, during, arrived

    with ThreadPoolExecutor(1) as thread:  # a loop of its own: a browser test's may be running here
        first, during, arrived = thread.submit(asyncio.run, requests()).result()
    assert len(reads) == 2  # six requests, two reads
    assert len(set(during)) == 1 and during[0] == reads[1]
    assert first == reads[0] < arrived < during[0]  # begun after they arrived
