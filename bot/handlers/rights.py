"""Rights: topics for the worker's country, paged answers with sources, search, handbook."""

from __future__ import annotations

import asyncio

from telegram import InputFile, Update
from telegram.constants import ChatAction

from bot import callbacks, i18n
from bot.context import BotContext
from bot.domain.content import TOPICS, Topic, split_citations, to_telegram_html
from bot.domain.countries import country
from bot.domain.users import User
from bot.handlers.common import (
    FIRST_PAGE,
    LAST_PAGE,
    Button,
    Inert,
    answer_callback,
    answer_edge,
    current_user,
    edge_arg,
    escape,
    inline,
    nav_row,
    send,
)
from bot.handlers.discreet import hide_button
from bot.i18n import _
from bot.services.content import Found, Library


def _jurisdiction(user: User) -> str:
    return country(user.country).jurisdiction


def place_name(user: User) -> str:
    if user.country is None or country(user.country).jurisdiction == "ilo":
        return _("International standard (ILO Convention 189)")
    return i18n.country_name(user.country)


def _topic_button(found: Found) -> Button:
    """A topic; from a search, it opens on the page that answers the question."""
    return (found.topic.title, callbacks.encode("topic", found.topic.topic, found.page))


async def show_topics(update: Update, context: BotContext) -> None:
    user = await current_user(update, context)
    found = context.services.library.topics_for(_jurisdiction(user), user.locale)
    text = (
        _("📚 <b>Your rights: {place}</b>").format(place=escape(place_name(user)))
        + "\n"
        + _("Choose a topic, or write your question in your own words.")
    )
    await send(update, context, text, inline(topics_markup(found)))


def topics_markup(found: list[Found]) -> list[list[Button]]:
    """Every topic of her country on one screen (there are a dozen: no paging), the handbook."""
    rows = [[(_("✅ Is this right? Check it"), callbacks.encode("chk", "s"))]]
    rows += [[_topic_button(f)] for f in found]
    rows.append([(_("📕 Handbook (PDF)"), callbacks.encode("handbook"))])
    return rows


def _fallback_note(found: Found) -> str:
    language = i18n.NATIVE_NAMES.get(found.topic.language, found.topic.language)
    return _(
        "ℹ️ This topic is not yet available in your language. Here it is in {language}."
    ).format(language=language)


def source_footer(cited: tuple[str, ...]) -> str:
    """The laws a screen's text rests on, in one line under it."""
    return i18n.ngettext("📖 Source: {sources}", "📖 Sources: {sources}", len(cited)).format(
        sources=" · ".join(i18n.isolate(c) for c in cited)
    )


def render_page(found: Found, page: int, help_title: str | None) -> str:
    topic = found.topic
    pages = topic.pages
    title = f"<b>{escape(topic.title)}</b>"
    if len(pages) > 1:
        title += " " + i18n.isolate(f"({page + 1}/{len(pages)})")
    parts = [title]
    if found.fallback and page == 0:
        parts.append(_fallback_note(found))
    text, cited = split_citations(pages[page])
    parts.append(to_telegram_html(text))
    if cited:
        parts.append(f"<i>{escape(source_footer(cited))}</i>")
    if page == len(pages) - 1:
        reviewed = _("📅 Reviewed on {date}.").format(date=i18n.fmt_date(topic.reviewed))
        if topic.effective:
            reviewed += " " + _("Figures in force from {date}.").format(
                date=i18n.fmt_date(topic.effective)
            )
        parts.append(reviewed)
        disclaimer = _("ℹ️ This is information, not legal advice.")
        if help_title and topic.topic != "help":
            disclaimer += " " + _("For help with your case, see “{help}”.").format(
                help=escape(help_title)
            )
        parts.append(disclaimer)
    return "\n\n".join(parts)


def _topics_button() -> Button:
    """The middle of every topic screen's navigation row: back up to the list of topics."""
    return (_("📚 Topics"), callbacks.encode("topics"))


def topic_markup(found: Found, page: int, library: Library, locale: str) -> list[list[Button]]:
    """Sources and related topics, then [Back] [Topics] [Next] in the same places on every
    page: the rows above the navigation are the same on each page of a topic."""
    topic = found.topic
    rows: list[list[Button]] = [
        [(_("📜 Sources"), callbacks.encode("sources", topic.topic, page)), hide_button()]
    ]
    related = [r for r in topic.related if r != "help"][:3]
    if topic.topic != "help":
        related.append("help")
    for related_id in related:
        related_found = library.get(topic.jurisdiction, related_id, locale)
        if related_found is not None:
            rows.append([_topic_button(related_found)])
    rows.append(_topic_nav(topic, page))
    return rows


def _topic_nav(topic: Topic, page: int) -> list[Button]:
    last = len(topic.pages) - 1
    return nav_row(
        callbacks.encode("topic", topic.topic, page - 1)
        if page > 0
        else Inert(callbacks.encode("topic", topic.topic, page, FIRST_PAGE)),
        _topics_button(),
        callbacks.encode("topic", topic.topic, page + 1)
        if page < last
        else Inert(callbacks.encode("topic", topic.topic, page, LAST_PAGE)),
    )


def _valid_topic(data: callbacks.Callback) -> str:
    topic = data.arg(0)
    if topic not in TOPICS:
        raise callbacks.InvalidCallback(f"unknown topic {topic!r}")
    return topic


async def on_topic(update: Update, context: BotContext) -> None:
    data = callbacks.decode(update.callback_query.data if update.callback_query else None)
    topic_id, page, edge = _valid_topic(data), data.int_arg(1), edge_arg(data, 2)
    user = await current_user(update, context)
    if edge is not None:  # the blank Back of the first page or Next of the last
        await answer_edge(update, edge)
        return
    await answer_callback(update)
    await show_topic(update, context, user, topic_id, page)


async def show_topic(
    update: Update, context: BotContext, user: User, topic_id: str, page: int = 0
) -> None:
    library = context.services.library
    found = library.get(_jurisdiction(user), topic_id, user.locale)
    if found is None:
        await send(update, context, _("This topic is not written yet for your country."))
        return
    page = min(max(page, 0), len(found.topic.pages) - 1)  # a stale page number still works
    help_found = library.get(found.topic.jurisdiction, "help", user.locale)
    text = render_page(found, page, help_found.topic.title if help_found else None)
    markup = topic_markup(found, page, library, user.locale)
    await send(update, context, text, inline(markup))
    if page == 0 and user.statistics_consent:
        await context.services.stats.record_use(user.user_id, "topic", topic_id)


async def on_sources(update: Update, context: BotContext) -> None:
    """`sources:<topic>[:<page>[:last]]`: the topic's sources; Back returns to that page.

    Buttons from before the page was carried have no page and go back to page 1.
    """
    data = callbacks.decode(update.callback_query.data if update.callback_query else None)
    topic_id = _valid_topic(data)
    page = data.int_arg(1) if len(data.args) > 1 else 0
    edge = edge_arg(data, 2)
    user = await current_user(update, context)
    if edge is not None:
        await answer_edge(update, edge)
        return
    await answer_callback(update)
    found = context.services.library.get(_jurisdiction(user), topic_id, user.locale)
    if found is None:
        raise callbacks.InvalidCallback("no such topic here")
    await send(update, context, sources_text(found.topic), inline(sources_markup(topic_id, page)))


def sources_markup(topic_id: str, page: int) -> list[list[Button]]:
    """One page with nowhere further to go: Back to the topic's page, Topics, a blank Next."""
    return [
        nav_row(
            callbacks.encode("topic", topic_id, page),
            _topics_button(),
            Inert(callbacks.encode("sources", topic_id, page, LAST_PAGE)),
        )
    ]


def sources_text(topic: Topic) -> str:
    lines = [_("📜 <b>Sources</b> — {title}").format(title=escape(topic.title)), ""]
    for source in topic.sources:
        lines.append(f'• <a href="{escape(source.url)}">{escape(source.cite())}</a>')
    lines += ["", _("📅 Reviewed on {date}.").format(date=i18n.fmt_date(topic.reviewed))]
    return "\n".join(lines)


async def on_topics(update: Update, context: BotContext) -> None:
    callbacks.decode(update.callback_query.data if update.callback_query else None)
    await answer_callback(update)
    await show_topics(update, context)


async def answer_question(update: Update, context: BotContext, text: str) -> bool:
    """Free text: the page that answers it, for the worker's country and language, with the
    way to the whole topic and to the next best topics."""
    user = context.worker
    if user is None:
        return False
    library = context.services.library
    hits = library.search(text, _jurisdiction(user), user.locale)
    if not hits:
        return False
    best = hits[0]
    help_found = library.get(best.topic.jurisdiction, "help", user.locale)
    parts = [_("🔎 This may answer your question:")]
    if best.fallback and best.page > 0:  # page 0 carries the note itself
        parts.append(_fallback_note(best))
    parts.append(render_page(best, best.page, help_found.topic.title if help_found else None))
    await send(
        update,
        context,
        "\n\n".join(parts),
        inline(search_markup(best, hits[1:])),
    )
    if user.statistics_consent:
        await context.services.stats.record_use(user.user_id, "topic", best.topic.topic)
    return True


def search_markup(best: Found, others: list[Found]) -> list[list[Button]]:
    """Under the answer: its whole topic (when the answer is not its first page), the next
    best topics, each on the page that answers, then the topic's own navigation."""
    rows: list[list[Button]] = []
    if best.page > 0:
        rows.append(
            [
                (
                    _("📖 Read all of “{topic}”").format(topic=best.topic.title),
                    callbacks.encode("topic", best.topic.topic, 0),
                )
            ]
        )
    rows += [[_topic_button(f)] for f in others]
    rows.append(_topic_nav(best.topic, best.page))
    return rows


async def handbook_command(update: Update, context: BotContext) -> None:
    user = await current_user(update, context)
    assert update.effective_chat is not None
    await context.bot.send_chat_action(update.effective_chat.id, ChatAction.UPLOAD_DOCUMENT)
    services = context.services
    # PDF rendering blocks; to_thread carries the current language (contextvars) along.
    async with services.expensive.slot(user.user_id):
        path = await asyncio.to_thread(
            services.handbooks.get,
            _jurisdiction(user),
            user.locale,
            place_name(user),
            services.clock.now().date(),
        )
    await context.bot.send_document(
        update.effective_chat.id,
        InputFile(
            path.read_bytes(),
            filename=context.services.discreet.file_name(
                user.neutral_notifications,
                f"{_('rights-handbook')}-{_jurisdiction(user)}",
                "pdf",
            ),
        ),
        caption=_("📕 Your rights handbook. You can print it or show it on your phone."),
    )


async def on_handbook(update: Update, context: BotContext) -> None:
    await answer_callback(update)
    await handbook_command(update, context)
