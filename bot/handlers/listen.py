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
from bot.domain.errors import UserFacingError
from bot.domain.users import Role, User
from bot.handlers.common import Button, answer_callback, current_user, escape, inline, send
from bot.i18n import N_, _
from bot.services import audio
from bot.services.episodes import AudioPart, Episode
from bot.storage.outbox import OutgoingMessage

EPISODE_UPLOAD = "episode"
FALLBACK_LANGUAGES = ("en", "es")
MAX_DOWNLOAD_BYTES = 20_000_000  # the Bot API does not hand bots bigger files


def _available(context: BotContext, locale: str) -> list[tuple[Episode, str]]:
    """Every episode, in the user's language when it exists, else English or Spanish."""
    found = []
    for episode in context.services.episodes:
        for language in (locale, *FALLBACK_LANGUAGES):
            if language in episode.languages():
                found.append((episode, language))
                break
    return found


def _label(episode: Episode, language: str) -> str:
    seconds = round(episode.seconds(language))
    size = episode.size(language) / 1_000_000
    return f"🎧 {episode.titles.get(language, episode.id)} · {seconds // 60}:{seconds % 60:02d}" + (
        " · " + _("{size} MB").format(size=i18n.fmt_number(round(size, 1)))
    )


async def show_episodes(update: Update, context: BotContext) -> None:
    user = await current_user(update, context)
    episodes = _available(context, user.locale)
    if not episodes:
        await send(update, context, _("There are no episodes yet."))
        return
    rows: list[list[Button]] = [
        [(_label(e, lang), callbacks.encode("ep", e.id, lang))] for e, lang in episodes
    ]
    text = _("🎧 <b>Listen</b>\nShort audio episodes about your rights. Tap one to listen.")
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
    store = context.services.audio
    key = str(part.path)
    digest = audio.sha256(part.path.read_bytes())
    file_id = await store.file_id(key, digest)
    if file_id is not None:
        try:
            await context.bot.send_voice(
                chat_id, file_id, caption=caption, duration=round(part.seconds)
            )
            return
        except BadRequest:
            await store.forget(key)  # Telegram no longer knows that id: upload again
    message = await context.bot.send_voice(
        chat_id,
        InputFile(part.path.read_bytes(), filename=part.path.name),
        caption=caption,
        duration=round(part.seconds),
    )
    if message.voice is not None:
        await store.remember(key, digest, message.voice.file_id, iso(context.services.clock.now()))


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
    listing = _available(context, user.locale)
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
async def episode_command(update: Update, context: BotContext) -> None:
    user = await current_user(update, context)
    await context.services.roles.require(user.user_id, Role.ORGANISER)
    await context.services.conversations.set(user.user_id, EPISODE_UPLOAD, {"step": "language"})
    rows = [[(i18n.NATIVE_NAMES[c], callbacks.encode("epl", c))] for c in i18n.AVAILABLE_LOCALES]
    await send(update, context, _("🎙 New episode. Which language is it in?"), inline(rows))


async def on_upload_language(update: Update, context: BotContext) -> None:
    data = callbacks.decode(update.callback_query.data if update.callback_query else None)
    user = await current_user(update, context)
    await context.services.roles.require(user.user_id, Role.ORGANISER)
    if data.arg(0) not in i18n.AVAILABLE_LOCALES:
        raise callbacks.InvalidCallback("bad language")
    await answer_callback(update)
    await context.services.conversations.set(
        user.user_id, EPISODE_UPLOAD, {"step": "title", "language": data.arg(0)}
    )
    await send(update, context, _("Write the episode's title (up to 80 letters)."))


async def title_step(update: Update, context: BotContext, text: str) -> bool:
    user = context.worker
    if user is None:
        return False
    state = await context.services.conversations.get(user.user_id)
    if state is None or state[0] != EPISODE_UPLOAD or state[1].get("step") != "title":
        return False
    await context.services.roles.require(user.user_id, Role.ORGANISER)
    title = " ".join(text.split())[:80]
    await context.services.conversations.set(
        user.user_id, EPISODE_UPLOAD, state[1] | {"step": "audio", "title": title}
    )
    await send(
        update,
        context,
        _("Now send the recording: a voice note or an audio file (up to 30 minutes)."),
    )
    return True


async def upload_step(update: Update, context: BotContext) -> bool:
    """A voice note, audio file or document sent as an organiser's new episode."""
    user = context.worker
    message = update.effective_message
    if user is None or message is None:
        return False
    state = await context.services.conversations.get(user.user_id)
    if state is None or state[0] != EPISODE_UPLOAD or state[1].get("step") != "audio":
        return False
    await context.services.roles.require(user.user_id, Role.ORGANISER)
    media = message.voice or message.audio or message.document
    if media is None or message.photo:
        raise UserFacingError(N_("That is not a recording. Send a voice note or an audio file."))
    if (media.file_size or 0) > MAX_DOWNLOAD_BYTES:
        raise UserFacingError(
            N_("That file is too big (more than 20 MB). Please send a shorter recording.")
        )
    # Telegram tells the length of voice notes and audio files: refuse before downloading.
    if _seconds(media) > audio.MAX_SECONDS:
        raise UserFacingError(N_("That recording is longer than 30 minutes. Please split it."))
    episode_id = await _ingest(context, user, media.file_id, state[1])
    await context.services.conversations.clear(user.user_id)
    await send(
        update,
        context,
        _("✅ Episode added: {title}. It is now in 🎧 Listen.").format(
            title=escape(state[1]["title"])
        ),
    )
    await _announce(context, user, episode_id)
    return True


def _seconds(media: object) -> float:
    """The length Telegram reports (int seconds in PTB 22, a timedelta in later versions)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # PTB's notice of the change
        value = getattr(media, "duration", None)
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return float(value or 0)


async def _ingest(context: BotContext, user: User, file_id: str, data: dict[str, str]) -> int:
    """Download, process and store; nothing half-processed is left if any step fails."""
    services = context.services
    target_dir = services.settings.data_dir / "episodes"
    target_dir.mkdir(parents=True, exist_ok=True)
    telegram_file = await context.bot.get_file(file_id)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "upload"
        await telegram_file.download_to_drive(source)
        stem = target_dir / f"rec-{iso(services.clock.now()).replace(':', '')}-{data['language']}"
        parts = await asyncio.to_thread(audio.process, source, stem)
    try:
        episode_id = await services.audio.add_recorded(
            data["language"],
            data["title"],
            None,
            [{"file": str(p.path), "seconds": round(p.seconds, 2), "bytes": p.size} for p in parts],
            iso(services.clock.now()),
        )
    except Exception:
        for part in parts:
            part.path.unlink(missing_ok=True)
        raise
    await services.organisers.audit(
        user.user_id,
        "episode_add",
        {"episode": episode_id, "language": data["language"]},
        iso(services.clock.now()),
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
    recipients = await services.organisers.audience("episodes", [], [language], [])
    if not recipients:
        return
    # Upload once (to the organiser, as a preview) so every worker gets the same file_id.
    assert services.audio is not None
    part = episode.audio[language][0]
    with contextlib.suppress(Exception):
        await send_voice(context, user.user_id, part, f"🎧 {episode.titles[language]}")
    file_id = await services.audio.file_id(str(part.path), audio.sha256(part.path.read_bytes()))
    if file_id is None:
        return
    now = iso(services.clock.now())
    messages = []
    for recipient in recipients:
        with i18n.using(recipient.locale):
            caption = _("🎧 New episode: {title}").format(title=episode.titles[language])
            stop = _("🔕 Stop these messages")
        messages.append(
            OutgoingMessage(
                user_id=recipient.user_id,
                kind="episode",
                method="sendVoice",
                payload={
                    "chat_id": recipient.user_id,
                    "voice": file_id,
                    "caption": caption,
                    "reply_markup": {
                        "inline_keyboard": [
                            [{"text": stop, "callback_data": callbacks.encode("stop", "episodes")}]
                        ]
                    },
                },
                not_before=now,
                dedupe_key=f"ep{episode_id}:{recipient.user_id}",
            )
        )
    await services.outbox.enqueue(messages, now)
    services.delivery.wake()
