"""Journalists: a claim's permanent page, each of its versions, its `.json` twin, an embeddable
card, its share image and oEmbed. The id never changes; a wrong slug redirects to the right one."""

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy.orm import Session
from starlette.responses import Response

from app.errors import FieldsInvalid
from app.queries.claims import ClaimPage, ClaimStamp, claim_page, claim_stamp
from app.queries.corrections import corrections
from app.queries.timeline import MAX_CLAIM_ID, Change
from app.services import corroboration
from app.services.claim_merge import merge_claim
from app.web.caching import REVALIDATE, conditional, etag
from app.web.claim_meta import (
    absolute,
    citations,
    cited_url,
    claim_json,
    data_url,
    embed_url,
    json_ld,
    notice_of,
    share_image_url,
)
from app.web.deps import CsrfChecked, CurrentEditor, LastChange, ReadSession, WriteSession
from app.web.handlers import NOT_FOUND
from app.web.htmx import is_htmx
from app.web.i18n import N_, current_language, translate
from app.web.security import allow_framing
from app.web.share_image import share_png
from app.web.templating import render
from app.web.urls import actor_url, claim_slug, claim_url, keeping_query, split_address

router = APIRouter()

EDITOR_CACHE = "private, no-store"
EMBED_SIZE = (560, 320)


def is_editor(request: Request) -> bool:
    return getattr(request.state, "user", None) is not None


def base_of(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def cached(
    request: Request,
    stamp: ClaimStamp,
    build: Callable[[], Response],
    *,
    parts: tuple[object, ...] = (),
    changed: tuple[datetime | None, ...] = (),
    version: int | None = None,
    actors_changed: Change | None = None,
) -> Response:
    """Validators over anything the page shows (the claim, its article, speaker and reports),
    made from its stamp: `build` loads the page only when the response is not a 304 and no
    copy of it is kept. `parts` is what else the response shows, and `changed` when that last
    changed (None: never): Last-Modified moves with what the page shows, as the ETag does.
    `version`, a version the response shows (None: the claim as it stands), is renewed by
    `actors_changed`, when the actors last changed: its speaker is read as that actor is now.
    Every response of a claim is revalidated: a past version's notices, its share image's
    speaker, change without a new version of it."""
    editor = is_editor(request)
    speakers_changed = actors_changed if version else None
    tag = etag(stamp, editor, current_language(), *parts, version, speakers_changed)
    last = speakers_changed.at if speakers_changed else None
    return conditional(
        request,
        tag,
        max([stamp.last_modified, *filter(None, (*changed, last))]),
        build,
        cache_control=EDITOR_CACHE if editor else REVALIDATE,
    )


def page_context(request: Request, page: ClaimPage, today: date | None = None) -> dict[str, Any]:
    """What the HTML page shows: the page, its citations, and the speaker's statements before
    and after it."""
    base, today = base_of(request), today or date.today()
    return {
        "page": page,
        "claim": page.claim,
        "shown": page.shown,
        "corrections": corrections(page.revisions),
        "citation": citations(page, base, today),
        "json_ld": json_ld(page, base),
        "canonical": absolute(base, claim_url(page.claim)),
        "share_image": absolute(base, share_image_url(page.claim.id, page.shown.version)),
        "preview_notice": notice_of(page),  # what the card says, said by the preview's title
        # A version's: that version. Its address is a value in the query, so it is encoded.
        "oembed": f"{base}/oembed?{urlencode({'url': cited_url(page, base)})}",
        "embed": embed_url(page.claim.id, page.pinned_version),
        "data": data_url(page.claim.id, page.pinned_version),
        "is_editor": is_editor(request),
        "today": today,
        "previous": page.previous,
        "following": page.following,
    }


def show(
    request: Request,
    session: Session,
    stamp: ClaimStamp,
    *,
    version: int | None = None,
    actors_changed: Change | None = None,
) -> Response:
    """The page (or one `version` of it), loaded and rendered only when it is sent afresh;
    `actors_changed`, when the actors last changed, renews a version (`cached`)."""
    today = date.today()  # the citation's access date, in the page and its validators

    def build() -> Response:
        page = claim_page(session, stamp.id, version=version, stamp=stamp)
        context = page_context(request, page, today)
        return render(request, "claims/page.html", context, block="statement")

    midnight = datetime.combine(today, time()).astimezone()  # the access date changed then
    return cached(
        request, stamp, build, parts=(today,), changed=(midnight,), version=version,
        actors_changed=actors_changed,
    )  # fmt: skip


def to_its_address(request: Request, stamp: ClaimStamp) -> Response:
    """301 to the claim's permanent address, with the query of the address asked for. Asked
    again each time: browsers keep a 301 that says nothing of caching for good, and the slug
    moves with a correction, so one corrected back would send a reader round in a loop."""
    address = keeping_query(claim_url(stamp), request.url.query)
    return RedirectResponse(address, 301, headers={"Cache-Control": REVALIDATE})


@router.get("/claims/{claim_id:int}-{slug}", name="claim")
def claim_page_view(request: Request, session: ReadSession, claim_id: int, slug: str) -> Response:
    stamp = claim_stamp(session, claim_id)
    if slug != claim_slug(stamp):
        return to_its_address(request, stamp)
    return show(request, session, stamp)


@router.get("/claims/{claim_id:int}", name="claim_by_id")
def claim_without_slug(request: Request, session: ReadSession, claim_id: int) -> Response:
    stamp = claim_stamp(session, claim_id)
    if not claim_slug(stamp):  # nothing Latin to put in a slug: this is the address
        return show(request, session, stamp)
    return to_its_address(request, stamp)


@router.get("/claims/{claim_id:int}-", name="claim_slug_cut")
def claim_slug_cut(request: Request, session: ReadSession, claim_id: int) -> Response:
    """An address cut right after the id's hyphen, as mail wraps a long link: a wrong slug like
    any other (`{slug}` matches at least one character, and no claim's address ends so)."""
    return to_its_address(request, claim_stamp(session, claim_id))


@router.get("/claims/{claim_id:int}/v/{version:int}", name="claim_version")
def claim_version_page(
    request: Request, session: ReadSession, changed: LastChange, claim_id: int, version: int
) -> Response:
    """A past version's speaker, when another than the current one's, is read as that actor is
    now (renamed, or merged into another): a change to the actors renews the version."""
    stamp = claim_stamp(session, claim_id)
    return show(request, session, stamp, version=version, actors_changed=changed)


@router.get("/claims/{claim_id:int}.json", name="claim_json", responses=NOT_FOUND)
def claim_json_view(
    request: Request,
    session: ReadSession,
    changed: LastChange,
    claim_id: int,
    v: Annotated[str | None, Query(description="the version the data is of")] = None,
) -> Response:
    """The data of version `v` (`data_url`), the current one when `v` names no past version,
    as the embed's and the share image's."""

    def build(page: ClaimPage) -> Response:
        return JSONResponse(claim_json(page, base_of(request), corrections(page.revisions)))

    return of_version(request, session, changed, claim_id, v, build)


@router.get("/claims/{claim_id:int}/embed", name="claim_embed")
def claim_embed(
    request: Request,
    session: ReadSession,
    changed: LastChange,
    claim_id: int,
    v: Annotated[str | None, Query(description="the version the card shows")] = None,
) -> Response:
    """The card of version `v` (`embed_url`), as the share image's: an embedded past version
    keeps its words, and links to its own page."""

    def build(page: ClaimPage) -> Response:
        context = {"claim": page.claim, "shown": page.shown, "page": page}
        context["canonical"] = cited_url(page, base_of(request))
        return render(request, "claims/embed.html", context)

    response = of_version(request, session, changed, claim_id, v, build)
    return allow_framing(response)  # the one route any site may frame: it is made to be embedded


@router.get("/claims/{claim_id:int}/share.png", name="claim_share_image")
def claim_share_image(
    request: Request,
    session: ReadSession,
    changed: LastChange,
    claim_id: int,
    v: Annotated[str | None, Query(description="the version the card shows")] = None,
) -> Response:
    """The card of version `v` (`share_image_url`), the current one when `v` names no past
    version: a past version's page is shared with its own words, and its card must say them
    too. Its speaker is read as that actor is now, as on its page."""

    def build(page: ClaimPage) -> Response:
        return Response(share_png(page), media_type="image/png")

    return of_version(request, session, changed, claim_id, v, build, parts=("png",))


def of_version(
    request: Request,
    session: Session,
    changed: Change,
    claim_id: int,
    v: str | None,
    build: Callable[[ClaimPage], Response],
    parts: tuple[str, ...] = (),
) -> Response:
    """What `build` makes of the claim's version `v` (`past_version`: the current one when `v`
    names no past version), for the data, the embed and the share image alike."""
    stamp = claim_stamp(session, claim_id)
    version = past_version(v, stamp)

    def page_built() -> Response:
        return build(claim_page(session, claim_id, version=version, stamp=stamp))

    return cached(request, stamp, page_built, parts=parts, version=version, actors_changed=changed)


def past_version(asked: str | None, stamp: ClaimStamp) -> int | None:
    """The past version a `v` parameter names, in the digits pages write; None for anything
    else (the current version, or what no version is): that is the current card."""
    if asked is None or not _served(asked):
        return None
    number = int(asked)
    return number if 1 <= number < stamp.version else None


@router.get("/oembed", name="oembed")
def oembed(
    request: Request,
    session: ReadSession,
    url: Annotated[str, Query(description="a claim's address on this site")],
    format: Annotated[str, Query()] = "json",
    maxwidth: Annotated[int | None, Query(ge=200)] = None,
    maxheight: Annotated[int | None, Query(ge=120)] = None,
) -> Response:
    """oEmbed 1.0 for claim pages: a `rich` iframe of the embed card. A version's address is
    described as that version, as its page's link preview is."""
    if format != "json":
        raise HTTPException(501, N_("format: only json is offered, not %(format)r", format=format))
    claim_id, version = claim_address(url, request.url.netloc)
    page = claim_page(session, claim_id, version=version)
    width = min(maxwidth or EMBED_SIZE[0], EMBED_SIZE[0])
    height = min(maxheight or EMBED_SIZE[1], EMBED_SIZE[1])
    base = base_of(request)
    src = absolute(base, embed_url(claim_id, version))
    title, notice = page.shown.summary_en or page.shown.quote, notice_of(page)
    return JSONResponse(
        {
            "version": "1.0",
            "type": "rich",
            "provider_name": "basewatch",
            "provider_url": base + "/",
            "title": f"{notice} · {title}" if notice else title,  # as the page's og:title says it
            "author_name": page.shown.speaker.name_en,
            "author_url": absolute(base, actor_url(page.shown.speaker)),  # the speaker's page
            "html": (
                f'<iframe src="{src}" width="{width}" height="{height}" frameborder="0" '
                f'title="Claim {claim_id} on basewatch" loading="lazy"></iframe>'
            ),
            "width": width,
            "height": height,
            "thumbnail_url": absolute(base, share_image_url(page.claim.id, page.shown.version)),
            "thumbnail_width": 1200,
            "thumbnail_height": 630,
            "cache_age": 3600,
        }
    )


def claim_address(url: str, host: str) -> tuple[int, int | None]:
    """The claim id in `…/claims/12-slug`, `…/claims/12`, `…/claims/12/v/3` on `host` (or with
    no host), and the version the last names (None: the claim as it stands); 404 otherwise:
    another site's `/claims/12` is not ours to describe."""
    parts = split_address(url)  # None: not an address, so not one of ours
    path = parts.path if parts is not None and parts.netloc in ("", host) else ""
    head, _, rest = path.removeprefix("/claims/").partition("/")
    number = head.split("-", 1)[0].removesuffix(".json")
    version = rest.removeprefix("v/") if rest.startswith("v/") else None
    numbers = [number] if version is None else [number, version]
    if not path.startswith("/claims/") or not all(map(_served, numbers)):
        raise HTTPException(
            404, N_("url: %(url)r is not the address of a claim on this site", url=url)
        )
    return int(number), None if version is None else int(version)


def _served(number: str) -> bool:
    """A number as the routes' `int` path segments take it (`١` is a digit to isdecimal)."""
    return number.isascii() and number.isdecimal()


# Editors decide which reports are the same statement ----------------------------------------


def statement_changed(
    request: Request, session: Session, claim_id: int, *, status_code: int = 200, **extra: Any
) -> Response:
    """The `statement` block again for htmx; the whole page (or back to it) without."""
    if not is_htmx(request) and status_code == 200:
        return RedirectResponse(claim_url(claim_stamp(session, claim_id)), status_code=303)
    context = page_context(request, claim_page(session, claim_id)) | extra
    response = render(
        request, "claims/page.html", context, block="statement", status_code=status_code
    )
    response.headers["Cache-Control"] = EDITOR_CACHE
    return response


@router.post("/claims/{claim_id}/statement/confirm", name="confirm_statement")
def confirm_statement_view(
    request: Request, session: WriteSession, editor: CurrentEditor, _: CsrfChecked, claim_id: int
) -> Response:
    corroboration.confirm_statement(session, claim_id, editor=editor)
    return statement_changed(request, session, claim_id)


@router.post("/claims/{claim_id}/statement/split", name="split_report")
def split_report_view(
    request: Request,
    session: WriteSession,
    editor: CurrentEditor,
    _: CsrfChecked,
    claim_id: int,
    report: Annotated[int, Form()],
) -> Response:
    """409 with the group as it is now, and why, for a report no longer in it: another editor
    took it out meanwhile."""
    try:
        corroboration.split_report(session, claim_id, report_id=report, editor=editor)
    except FieldsInvalid as error:
        message = translate(error.errors["report"])
        return statement_changed(request, session, claim_id, status_code=409, split_error=message)
    return statement_changed(request, session, claim_id)


def _claim_number(typed: str, field: str) -> int:
    """The number an editor typed, in Western or Arabic-Indic digits (int() reads both; "²",
    a digit to isdigit(), it refuses). None past the largest id the archive can hold is a
    claim's: the database could not even compare it, and would be refused as a whole page."""
    if not typed.strip().isdecimal():
        raise FieldsInvalid({field: N_("%(typed)r is not a claim number", typed=typed)})
    number = int(typed)
    if number > MAX_CLAIM_ID:
        raise FieldsInvalid({field: N_("there is no claim %(claim)d", claim=number)})
    return number


@router.post("/claims/{claim_id}/statement/join", name="join_statement")
def join_statement_view(
    request: Request,
    session: WriteSession,
    editor: CurrentEditor,
    _: CsrfChecked,
    claim_id: int,
    other: Annotated[str, Form()],
) -> Response:
    """422 with the message beside the field for a claim that cannot be joined."""
    try:
        corroboration.join_statement(
            session, claim_id, other_id=_claim_number(other, "other"), editor=editor
        )
    except FieldsInvalid as error:
        message = translate(error.errors["other"])
        return statement_changed(
            request, session, claim_id, status_code=422, join_error=message, join_other=other
        )
    return statement_changed(request, session, claim_id)


@router.post("/claims/{claim_id}/merge", name="merge_claim")
def merge_claim_view(
    request: Request,
    session: WriteSession,
    editor: CurrentEditor,
    _: CsrfChecked,
    claim_id: int,
    into: Annotated[str, Form()],
) -> Response:
    """Back to the claim's page, which now says where it went; 422 beside the field if refused."""
    try:
        merged = merge_claim(session, claim_id, into=_claim_number(into, "into"), editor=editor)
    except FieldsInvalid as error:
        context = page_context(request, claim_page(session, claim_id))
        context |= {"merge_error": translate(error.errors["into"]), "merge_into": into}
        response = render(request, "claims/page.html", context, status_code=422)
        response.headers["Cache-Control"] = EDITOR_CACHE
        return response
    return RedirectResponse(claim_url(claim_stamp(session, merged.id)), status_code=303)
