"""Listen: audio episodes as small voice notes, each uploaded to Telegram once; organisers
add their own recordings."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import tempfile
import warnings
from pathlib import Path

from telegram import InputFile, Update
from telegram.error import BadRequest

from bot import callbacks, i18n
from bot.context import BotContext
from bot.domain.clock import iso
from bot.domain.content import TOPICS
from bot.domain.countries import country
from bot.domain.errors import UserFacingError
from bot.domain.flows import Flow
from bot.domain.users import User
from bot.handlers import flows
from bot.handlers.common import Button, answer_callback, current_user, escape, inline, send
from bot.handlers.flows import FlowSpec, buttons
from bot.handlers.organisers import ORGANISING, organising
from bot.i18n import N_, _
from bot.services import audio
from bot.services.episodes import AudioPart, Episode
from bot.services.organisers import Audience

EPISODE_UPLOAD = "episode"
FALLBACK_LANGUAGES = ("en", "es")
MAX_DOWNLOAD_BYTES = 20_000_000  # the Bot API does not hand bots bigger files


def _available(context: BotContext, user: User) -> list[tuple[Episode, str]]:
    """Her country's episodes first, then the union's recordings, then the international
    minimum (ILO); each in her language when it exists, else English or Spanish. Episodes
    about another country's law are not offered."""
    jurisdiction = country(user.country).jurisdiction
    found = []
    for episode in context.services.episodes:
        if not episode.recorded and episode.jurisdiction not in (jurisdiction, "ilo"):
            continue
        for language in (user.locale, *FALLBACK_LANGUAGES):
            if language in episode.languages():
                found.append((episode, language))
                break
    return sorted(found, key=lambda pair: _rank(pair[0], jurisdiction))


# Within a group, episodes follow the order of the rights topics: hours, pay, ending the job,
# harassment, help (a union's recordings keep the order they were added in).
_TOPIC_ORDER = {topic: n for n, topic in enumerate(TOPICS)}


def _rank(episode: Episode, jurisdiction: str) -> tuple[int, int]:
    if episode.recorded:
        return 1, 0
    group = 2 if episode.jurisdiction == "ilo" and jurisdiction != "ilo" else 0
    return group, _TOPIC_ORDER.get(episode.topic or "", len(TOPICS))


def _label(episode: Episode, language: str) -> str:
    seconds = round(episode.seconds(language))
    size = episode.size(language) / 1_000_000
    mark = "🌍" if episode.jurisdiction == "ilo" and not episode.recorded else "🎧"
    return (
        f"{mark} {episode.titles.get(language, episode.id)} · {seconds // 60}:{seconds % 60:02d}"
        + (" · " + _("{size} MB").format(size=i18n.fmt_number(round(size, 1))))
    )


async def show_episodes(update: Update, context: BotContext) -> None:
    user = await current_user(update, context)
    episodes = _available(context, user)
    if not episodes:
        await send(update, context, _("There are no episodes yet."))
        return
    rows: list[list[Button]] = [
        [(_label(e, lang), callbacks.encode("ep", e.id, lang))] for e, lang in episodes
    ]
    text = _("🎧 <b>Listen</b>\nShort audio episodes about your rights. Tap one to listen.")
    if any(e.jurisdiction == "ilo" and not e.recorded for e, _lang in episodes):
        text += "\n" + _("🌍 marks the international minimum (ILO Convention 189).")
    if any(lang != user.locale for _e, lang in episodes):
        text += "\n" + _(
            "Some episodes are not yet in your language; you get them in English or Spanish."
        )
    await send(update, context, text, inline(rows))


def _find(context: BotContext, episode_id: str, language: str) -> Episode:
    for episode in context.services.episodes:
        if episode.id == episode_id and language in episode.languages():
            return episode
    raise callbacks.InvalidCallback("no such episode")


async def send_voice(context: BotContext, chat_id: int, part: AudioPart, caption: str) -> None:
    """Send a voice note: by its stored file_id when Telegram has it, else upload it once."""
    files, bot_id = context.services.audio, context.bot.id
    file_id = await files.file_id(part.path, bot_id)
    if file_id is not None:
        try:
            await context.bot.send_voice(
                chat_id, file_id, caption=caption, duration=round(part.seconds)
            )
            return
        except BadRequest:
            await files.forget(part.path, bot_id)  # Telegram no longer knows that id: upload again
    message = await context.bot.send_voice(
        chat_id,
        InputFile(part.path.read_bytes(), filename=part.path.name),
        caption=caption,
        duration=round(part.seconds),
    )
    if message.voice is not None:
        await files.remember(part.path, bot_id, message.voice.file_id)


async def on_episode(update: Update, context: BotContext) -> None:
    data = callbacks.decode(update.callback_query.data if update.callback_query else None)
    user = await current_user(update, context)
    episode = _find(context, data.arg(0), data.arg(1))
    language = data.arg(1)
    await answer_callback(update)
    assert update.effective_chat is not None
    parts = episode.audio[language]
    title = episode.titles.get(language, episode.id)
    for number, part in enumerate(parts, 1):
        caption = f"🎧 {title}" + (f" ({number}/{len(parts)})" if len(parts) > 1 else "")
        await send_voice(context, update.effective_chat.id, part, caption)
    if user.statistics_consent:
        await context.services.stats.record_use(user.user_id, "episode", episode.id)
    rows: list[list[Button]] = [
        [(_("📄 Read the transcript"), callbacks.encode("ept", episode.id, language))]
    ]
    listing = _available(context, user)
    ids = [e.id for e, _lang in listing]
    if episode.id in ids and ids.index(episode.id) + 1 < len(ids):
        following, lang = listing[ids.index(episode.id) + 1]
        rows.append([(_("⏭ Next episode"), callbacks.encode("ep", following.id, lang))])
    if episode.topic and user.country is not None:
        rows.append([(_("📚 Read about this topic"), callbacks.encode("topic", episode.topic, 0))])
    description = episode.descriptions.get(language, "")
    await send(update, context, f"<b>{escape(title)}</b>\n{escape(description)}", inline(rows))


async def on_transcript(update: Update, context: BotContext) -> None:
    data = callbacks.decode(update.callback_query.data if update.callback_query else None)
    await current_user(update, context)
    episode = _find(context, data.arg(0), data.arg(1))
    await answer_callback(update)
    text = episode.transcripts.get(data.arg(1), "")
    await send(
        update,
        context,
        f"📄 <b>{escape(episode.titles.get(data.arg(1), ''))}</b>\n\n" + escape(text),
    )


# ---- organisers add episodes -------------------------------------------------------------
# EPISODE_UPLOAD is a declared flow (`FLOWS`): language (buttons) -> title -> the recording.
async def episode_command(update: Update, context: BotContext) -> None:
    user = await current_user(update, context)
    await context.services.roles.require(user.user_id, *ORGANISING)
    await flows.save(context, EPISODE_UPLOAD, {"step": "language"})
    rows = [[(i18n.NATIVE_NAMES[c], callbacks.encode("epl", c))] for c in i18n.AVAILABLE_LOCALES]
    await send(update, context, _("🎙 New episode. Which language is it in?"), inline(rows))


async def on_upload_language(update: Update, context: BotContext) -> None:
    data = callbacks.decode(update.callback_query.data if update.callback_query else None)
    user = await current_user(update, context)
    await context.services.roles.require(user.user_id, *ORGANISING)
    flows.current(context, EPISODE_UPLOAD)  # a language button of an upload she left is old
    if data.arg(0) not in i18n.AVAILABLE_LOCALES:
        raise callbacks.InvalidCallback("bad language")
    await answer_callback(update)
    await flows.save(context, EPISODE_UPLOAD, {"step": "title", "language": data.arg(0)})
    await send(update, context, _("Write the episode's title (up to 80 letters)."))


@organising
async def episode_title(
    update: Update, context: BotContext, user: User, flow: Flow, text: str
) -> None:
    title = " ".join(text.split())[:80]
    await flows.save(context, EPISODE_UPLOAD, {**flow.data, "step": "audio", "title": title})
    await send(
        update,
        context,
        _("Now send the recording: a voice note or an audio file (up to 30 minutes)."),
    )


NOT_A_RECORDING = N_("That is not a recording. Send a voice note or an audio file.")


@organising
async def text_instead_of_recording(
    update: Update, context: BotContext, user: User, flow: Flow, text: str
) -> None:
    raise UserFacingError(NOT_A_RECORDING)


@organising
async def episode_recording(update: Update, context: BotContext, user: User, flow: Flow) -> None:
    """The last step: a voice note, audio file or document becomes the new episode."""
    message = update.effective_message
    media = (message.voice or message.audio or message.document) if message else None
    if message is None or media is None or message.photo:
        raise UserFacingError(NOT_A_RECORDING)
    if (media.file_size or 0) > MAX_DOWNLOAD_BYTES:
        raise UserFacingError(
            N_("That file is too big (more than 20 MB). Please send a shorter recording.")
        )
    # Telegram tells the length of voice notes and audio files: refuse before downloading.
    if _seconds(media) > audio.MAX_SECONDS:
        raise UserFacingError(N_("That recording is longer than 30 minutes. Please split it."))
    episode_id = await _ingest(context, user, media.file_id, flow)
    await flows.end(context)
    await send(
        update,
        context,
        _("✅ Episode added: {title}. It is now in 🎧 Listen.").format(
            title=escape(flow.data["title"])
        ),
    )
    await _announce(context, user, episode_id)


def _seconds(media: object) -> float:
    """The length Telegram reports (int seconds in PTB 22, a timedelta in later versions)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # PTB's notice of the change
        value = getattr(media, "duration", None)
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return float(value or 0)


async def _ingest(context: BotContext, user: User, file_id: str, flow: Flow) -> int:
    """Download, process and store; nothing half-processed is left if any step fails."""
    services = context.services
    language, title = str(flow.data["language"]), str(flow.data["title"])
    target_dir = services.settings.data_dir / "episodes"
    target_dir.mkdir(parents=True, exist_ok=True)
    telegram_file = await context.bot.get_file(file_id)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "upload"
        await telegram_file.download_to_drive(source)
        stem = target_dir / f"rec-{iso(services.clock.now()).replace(':', '')}-{language}"
        parts = await asyncio.to_thread(audio.process, source, stem)
    try:
        episode_id = await services.audio.add_recorded(language, title, parts)
    except Exception:
        for part in parts:
            part.path.unlink(missing_ok=True)
        raise
    await services.roles.audit(
        user.user_id, "episode_add", {"episode": episode_id, "language": language}
    )
    await services.reload_episodes()
    return episode_id


async def _announce(context: BotContext, user: User, episode_id: int) -> None:
    """Tell subscribers of new episodes in that language, through the outbox."""
    services = context.services
    episode = next((e for e in services.episodes if e.id == f"rec{episode_id}"), None)
    if episode is None:
        return
    language = episode.languages()[0]
    recipients = await services.broadcasts.recipients(Audience("episodes", languages=(language,)))
    if not recipients:
        return
    # A preview to the organiser; each worker's channel uploads the file once for all of
    # its recipients (the outbox names the file, not one bot's file id).
    part = episode.audio[language][0]
    with contextlib.suppress(Exception):
        await send_voice(context, user.user_id, part, f"🎧 {episode.titles[language]}")
    await services.broadcasts.post_episode(
        episode_id, episode.titles[language], part.path, recipients
    )


FLOWS: list[FlowSpec] = [
    FlowSpec(
        EPISODE_UPLOAD,
        text={"title": episode_title, "audio": text_instead_of_recording},
        media={"audio": episode_recording},
        buttons=buttons("epl"),
    )
]
