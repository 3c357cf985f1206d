"""Help requests: a worker asks her union's helpers for help, confidentially, in the bot.

A case holds her messages (text, voice notes, photos, documents) and the helpers' answers.
Helpers see a case number, her language and country, when it was opened and her messages,
never her Telegram id, name, username or phone (`HelperView` carries none of them). Every
helper action is audited. Files live in `<data dir>/cases/<case id>/` under names the bot
makes; deleting a case, or her data, removes them. Closed cases are purged after the
retention period. New cases are announced to helpers on duty through the posting service
(quiet hours kept), and each helper gets a daily summary of open cases.
"""

from __future__ import annotations

import logging
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from bot import callbacks, i18n
from bot.domain.cases import (
    CLOSED,
    HELPER,
    KINDS,
    MAX_FILE_BYTES,
    MAX_MESSAGES,
    MAX_TEXT_CHARS,
    MAX_VOICE_SECONDS,
    NEW,
    OPEN,
    QUEUES,
    WAITING,
    WORKER,
    Case,
    CaseMessage,
    may_answer,
    purge_before,
)
from bot.domain.clock import Clock
from bot.domain.errors import NotAllowed, UserFacingError
from bot.domain.users import Role, User
from bot.i18n import N_, _
from bot.services.organisers import RoleService
from bot.services.posting import PostingService
from bot.services.users import UserService
from bot.storage.cases import CaseStore
from bot.storage.organisers import Recipient

log = logging.getLogger(__name__)

NOT_A_HELPER = N_("Sorry, this is only for your union's helpers.")
NO_SUCH_CASE = N_("That case does not exist any more.")
# The extension of a stored file comes from what it is, never from the name she sent.
_EXTENSIONS = {
    "audio/ogg": ".ogg",
    "audio/mpeg": ".mp3",
    "audio/mp4": ".m4a",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "application/pdf": ".pdf",
    "text/plain": ".txt",
    "application/msword": ".doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}


@dataclass(frozen=True)
class Incoming:
    """One thing she (or a helper) sends into a case, checked by the handler against the
    limits before anything is downloaded."""

    kind: str  # text | voice | photo | document
    text: str | None = None  # the text, or a file's caption
    file: Path | None = None  # a downloaded file (moved into the case folder)
    file_ref: str | None = None  # the channel's id for the file
    mime: str | None = None
    size: int | None = None
    seconds: int | None = None
    dedupe_key: str | None = None  # the chat message it came from


@dataclass(frozen=True)
class HelperView:
    """What a helper sees of a case: no id, name, username or phone of the worker."""

    case: Case
    messages: list[CaseMessage]


def check_incoming(item: Incoming) -> None:
    """Refuse what is too big or too long before it is stored (the handler checks the size
    Telegram reports before downloading too)."""
    if item.kind not in KINDS:
        raise UserFacingError(N_("I can take text, voice notes, photos and documents."))
    if item.text is not None and len(item.text) > MAX_TEXT_CHARS:
        raise UserFacingError(N_("That message is very long. Please send a short message."))
    if (item.size or 0) > MAX_FILE_BYTES:
        raise UserFacingError(N_("That file is too big (more than 20 MB)."))
    if item.kind == "voice" and (item.seconds or 0) > MAX_VOICE_SECONDS:
        raise UserFacingError(
            N_("That voice note is longer than 10 minutes. Please send a shorter one.")
        )
    if item.kind == "text" and not (item.text or "").strip():
        raise UserFacingError(N_("Please write your message in words, or send a voice note."))


class CaseService:
    def __init__(
        self,
        store: CaseStore,
        clock: Clock,
        files_dir: Path,
        roles: RoleService,
        users: UserService,
        posting: PostingService,
        retention_days: float,
    ) -> None:
        self.store = store
        self.clock = clock
        self.files_dir = files_dir
        self.roles = roles
        self.users = users
        self.posting = posting
        self.retention_days = retention_days

    # ---- the worker's side -----------------------------------------------------------------
    async def current(self, worker: User) -> Case | None:
        """Her most recent case that is not closed."""
        return next(
            (c for c in await self.store.of_user(worker.user_id) if c.status != CLOSED), None
        )

    async def mine(self, worker: User) -> list[Case]:
        return await self.store.of_user(worker.user_id)

    async def own(self, worker: User, case_id: int) -> Case:
        case = await self.store.get(case_id)
        if case is None or case.user_id != worker.user_id:
            raise UserFacingError(NO_SUCH_CASE)
        return case

    async def her_messages(self, worker: User, case_id: int) -> list[CaseMessage]:
        case = await self.own(worker, case_id)
        return await self.store.messages(case.id)

    async def open(
        self, worker: User, first: Incoming, *, urgent: bool, attach: str | None
    ) -> Case:
        """A new case with her first message; helpers on duty are told (never who she is)."""
        check_incoming(first)
        case_id = await self.store.open_case(
            worker.user_id, worker.locale, worker.country, urgent, attach, self.clock.now()
        )
        await self._add(case_id, worker.user_id, WORKER, first, status=None)
        case = await self.store.get(case_id)
        assert case is not None
        await self._announce(case)
        return case

    async def add_from_worker(self, worker: User, case_id: int, item: Incoming) -> bool:
        """Her message into her case (reopened if it was closed); False if it was added
        already (the same chat message sent twice)."""
        case = await self.own(worker, case_id)
        check_incoming(item)
        if await self.store.message_count(case.id) >= MAX_MESSAGES:
            raise UserFacingError(N_("This case is full. Please close it and open a new one."))
        status = NEW if case.helper_id is None else OPEN
        added = await self._add(case.id, worker.user_id, WORKER, item, status=status)
        if added is not None and case.helper_id is not None:
            await self._tell_helper(case, N_("💬 New message in case #{number}."))
        return added is not None

    async def mark_urgent(self, case: Case) -> None:
        if not case.urgent:
            await self.store.mark_urgent(case.id)

    async def close_by_worker(self, worker: User, case_id: int) -> bool:
        case = await self.own(worker, case_id)
        return await self.store.set_status(
            case.id, CLOSED, self.clock.now(), expect=(NEW, OPEN, WAITING)
        )

    async def reopen(self, worker: User, case_id: int) -> bool:
        case = await self.own(worker, case_id)
        status = NEW if case.helper_id is None else OPEN
        return await self.store.set_status(case.id, status, self.clock.now(), expect=(CLOSED,))

    async def delete(self, worker: User, case_id: int) -> None:
        """Her case, every message in it and its files, at once."""
        case = await self.own(worker, case_id)
        await self._delete(case.id)

    async def delete_all_of(self, user_id: int) -> int:
        """Before /delete erases her rows: the files of her cases too. A helper's id leaves
        the cases she took."""
        cases = await self.store.of_user(user_id)
        for case in cases:
            await self._delete(case.id)
        await self.store.forget_helper(user_id)
        return len(cases)

    def file_path(self, message: CaseMessage) -> Path | None:
        if message.file_name is None:
            return None
        return self.files_dir / str(message.case_id) / message.file_name

    # ---- the helpers' side -----------------------------------------------------------------
    async def require_helper(self, user_id: int) -> bool:
        """Raise unless a helper or an admin; True for an admin."""
        await self.roles.require(user_id, Role.HELPER, refusal=NOT_A_HELPER)
        return Role.ADMIN in await self.users.roles(user_id)

    async def queue(self, helper_id: int, queue: str, limit: int = 20) -> list[Case]:
        await self.require_helper(helper_id)
        if queue not in QUEUES:
            raise UserFacingError(NO_SUCH_CASE)
        return await self.store.queue(queue, helper_id, limit)

    async def counts(self, helper_id: int) -> dict[str, int]:
        await self.require_helper(helper_id)
        return await self.store.counts(helper_id)

    async def view(self, helper_id: int, case_id: int) -> HelperView:
        await self.require_helper(helper_id)
        case = await self._get(case_id)
        await self.roles.audit(helper_id, "case_view", {"case": case.id})
        return HelperView(case, await self.store.messages(case.id))

    async def worker_of(self, helper_id: int, case: Case) -> User | None:
        """Her settings, for the summary she chose to attach; only for a helper, and only
        when she attached it. Never shown: the handler renders hours and pay from it."""
        await self.require_helper(helper_id)
        if case.attach != "summary":
            return None
        return await self.users.get(case.user_id)

    async def take(self, helper_id: int, case_id: int) -> Case:
        await self.require_helper(helper_id)
        case = await self._get(case_id)
        if case.helper_id == helper_id:
            return case  # a second tap changes nothing
        if case.status != NEW:
            raise UserFacingError(N_("Another helper has taken this case."))
        if not await self.store.set_status(
            case.id, OPEN, self.clock.now(), expect=(NEW,), helper_id=helper_id, take=True
        ):
            raise UserFacingError(N_("Another helper has taken this case."))
        await self.roles.audit(helper_id, "case_take", {"case": case.id})
        return await self._get(case_id)

    async def reassign(self, admin_id: int, case_id: int, helper_id: int) -> None:
        if not await self.require_helper(admin_id):
            raise NotAllowed(N_("Only an admin can give a case to another helper."))
        if Role.HELPER not in await self.users.roles(helper_id):
            raise UserFacingError(N_("That person is not a helper."))
        await self.store.assign(case_id, helper_id, self.clock.now())
        await self.roles.audit(admin_id, "case_reassign", {"case": case_id, "to": helper_id})

    async def answer(self, helper_id: int, case_id: int, item: Incoming) -> bool:
        """A helper's answer: stored in the case and delivered to her as a message from the
        bot, through the outbox (so it survives a restart). False if already added."""
        is_admin = await self.require_helper(helper_id)
        case = await self._get(case_id)
        if not may_answer(case, helper_id, is_admin):
            raise UserFacingError(
                N_("This case is not yours. Take it first, or ask an admin to give it to you.")
                if case.status != CLOSED
                else N_("This case is closed.")
            )
        check_incoming(item)
        message_id = await self._add(
            case.id, case.user_id, HELPER, item, status=WAITING, helper=helper_id
        )
        if message_id is None:
            return False
        await self.roles.audit(helper_id, "case_answer", {"case": case.id, "kind": item.kind})
        await self._deliver_answer(case, item, message_id)
        return True

    async def close_by_helper(self, helper_id: int, case_id: int) -> bool:
        is_admin = await self.require_helper(helper_id)
        case = await self._get(case_id)
        if case.helper_id not in (None, helper_id) and not is_admin:
            raise UserFacingError(N_("This case is not yours."))
        closed = await self.store.set_status(
            case.id, CLOSED, self.clock.now(), expect=(NEW, OPEN, WAITING)
        )
        if closed:
            await self.roles.audit(helper_id, "case_close", {"case": case.id})
            await self._tell_worker(
                case,
                N_(
                    "✅ Your help request #{number} was closed. You can reopen it from "
                    "🙋 Ask a person if you still need help."
                ),
                "closed",
            )
        return closed

    async def set_on_duty(self, helper_id: int, on: bool) -> None:
        await self.require_helper(helper_id)
        await self.store.set_on_duty(helper_id, on)
        await self.roles.audit(helper_id, "case_duty", {"on": on})

    async def on_duty(self, helper_id: int) -> bool:
        return await self.store.on_duty(helper_id)

    # ---- upkeep ----------------------------------------------------------------------------
    async def purge(self) -> int:
        """Closed cases past the retention period go, with their files."""
        ids = await self.store.closed_before(purge_before(self.clock.now(), self.retention_days))
        for case_id in ids:
            await self._delete(case_id)
        if ids:
            log.info("cases: purged %d closed cases past %d days", len(ids), self.retention_days)
        return len(ids)

    async def daily_summary(self) -> int:
        """Each helper on duty: how many cases are new, hers and waiting (no content)."""
        helpers = await self.store.helpers_on_duty()
        day = self.clock.now().date().isoformat()
        messages = []
        for helper in helpers:
            counts = await self.store.counts(helper.user_id)
            if not (counts["new"] or counts["mine"]):
                continue
            with i18n.using(helper.locale):
                text = _(
                    "📋 Help requests today: {new} new ({urgent} urgent), {mine} yours,"
                    " {waiting} waiting for the worker. Send /cases to see them."
                ).format(**counts)
            messages.append(
                self.posting.message(
                    helper,
                    "case_summary",
                    "sendMessage",
                    {"chat_id": helper.user_id, "text": text},
                    f"case-summary:{helper.user_id}:{day}",
                )
            )
        await self.posting.post(messages)
        return len(messages)

    # ---- inside ----------------------------------------------------------------------------
    async def _get(self, case_id: int) -> Case:
        case = await self.store.get(case_id)
        if case is None:
            raise UserFacingError(NO_SUCH_CASE)
        return case

    async def _add(
        self,
        case_id: int,
        user_id: int,
        author: str,
        item: Incoming,
        *,
        status: str | None,
        helper: int | None = None,
    ) -> int | None:
        name = None
        if item.file is not None:
            name = self._store_file(case_id, item)
        added = await self.store.add_message(
            case_id,
            user_id,
            author,
            item.kind,
            self.clock.now(),
            body=item.text,
            file_name=name,
            file_ref=item.file_ref,
            mime=item.mime,
            size=item.size,
            seconds=item.seconds,
            helper_id=helper,
            dedupe_key=item.dedupe_key,
            status=status,
        )
        if added is None and name is not None:
            (self.files_dir / str(case_id) / name).unlink(missing_ok=True)
        return added

    def _store_file(self, case_id: int, item: Incoming) -> str:
        """Move the downloaded file into the case folder under a name the bot makes."""
        assert item.file is not None
        if item.file.stat().st_size > MAX_FILE_BYTES:
            raise UserFacingError(N_("That file is too big (more than 20 MB)."))
        folder = self.files_dir / str(case_id)
        folder.mkdir(parents=True, exist_ok=True)
        extension = ".ogg" if item.kind == "voice" else _EXTENSIONS.get(item.mime or "", ".bin")
        if item.kind == "photo":
            extension = ".jpg"
        name = f"{item.kind}-{secrets.token_hex(8)}{extension}"
        shutil.move(str(item.file), folder / name)
        return name

    async def _delete(self, case_id: int) -> None:
        await self.store.delete(case_id)
        shutil.rmtree(self.files_dir / str(case_id), ignore_errors=True)

    async def _announce(self, case: Case) -> None:
        """Helpers on duty learn that a case waits: its number and whether it is urgent."""
        helpers = await self.store.helpers_on_duty()
        messages = []
        for helper in helpers:
            if helper.user_id == case.user_id:
                continue
            with i18n.using(helper.locale):
                text = (
                    _("🔴 New urgent help request #{number}. Send /cases to see it.")
                    if case.urgent
                    else _("🙋 New help request #{number}. Send /cases to see it.")
                ).format(number=case.id)
            messages.append(
                self.posting.message(
                    helper,
                    "case_new",
                    "sendMessage",
                    {
                        "chat_id": helper.user_id,
                        "text": text,
                        "reply_markup": _open_markup(helper.locale, case.id),
                    },
                    f"case-new:{case.id}:{helper.user_id}",
                )
            )
        await self.posting.post(messages)

    async def _tell_helper(self, case: Case, message: str) -> None:
        if case.helper_id is None:
            return
        helper = await self.users.get(case.helper_id)
        if helper is None:
            return
        count = await self.store.message_count(case.id)
        with i18n.using(helper.locale):
            text = _(message).format(number=case.id)
        await self.posting.post(
            [
                self.posting.message(
                    _recipient(helper),
                    "case_new",
                    "sendMessage",
                    {
                        "chat_id": helper.user_id,
                        "text": text,
                        "reply_markup": _open_markup(helper.locale, case.id),
                    },
                    f"case-msg:{case.id}:{count}",
                )
            ]
        )

    async def _tell_worker(self, case: Case, message: str, key: str) -> None:
        worker = await self.users.get(case.user_id)
        if worker is None:
            return
        with i18n.using(worker.locale):
            text = _(message).format(number=case.id)
        await self.posting.post(
            [
                self.posting.message(
                    _recipient(worker),
                    "case_answer",
                    "sendMessage",
                    {"chat_id": worker.user_id, "text": text},
                    f"case-{key}:{case.id}:{self.clock.now().isoformat()}",
                )
            ]
        )

    async def _deliver_answer(self, case: Case, item: Incoming, message_id: int) -> None:
        worker = await self.users.get(case.user_id)
        if worker is None:
            return
        with i18n.using(worker.locale):
            heading = _("💬 Answer from your union's helper (help request #{number}):").format(
                number=case.id
            )
            buttons = {
                "inline_keyboard": [
                    [
                        {
                            "text": _("✍️ Answer"),
                            "callback_data": callbacks.encode("ask", "add", case.id),
                        },
                        {
                            "text": _("📂 My help request"),
                            "callback_data": callbacks.encode("ask", "view", case.id),
                        },
                    ]
                ]
            }
        recipient = _recipient(worker)
        key = f"case-answer:{message_id}"
        if item.kind == "text":
            payload: dict[str, object] = {
                "chat_id": worker.user_id,
                "text": f"{heading}\n\n{_escape(item.text or '')}",
                "parse_mode": "HTML",
                "reply_markup": buttons,
            }
            method = "sendMessage"
        else:
            method, field = {
                "voice": ("sendVoice", "voice"),
                "photo": ("sendPhoto", "photo"),
                "document": ("sendDocument", "document"),
            }[item.kind]
            caption = heading + (f"\n\n{_escape(item.text)}" if item.text else "")
            payload = {
                "chat_id": worker.user_id,
                field: item.file_ref,
                "caption": caption[:1000],
                "parse_mode": "HTML",
                "reply_markup": buttons,
            }
        await self.posting.post(
            [self.posting.message(recipient, "case_answer", method, payload, key)]
        )


def _recipient(user: User) -> Recipient:
    return Recipient(user.user_id, user.locale, user.timezone, user.country, user.quiet_hours)


def _open_markup(locale: str, number: int) -> dict[str, object]:
    """One button for a helper: open this case."""
    with i18n.using(locale):
        label = _("📂 Open #{number}").format(number=number)
    data = callbacks.encode("case", "view", number)
    return {"inline_keyboard": [[{"text": label, "callback_data": data}]]}


def _escape(text: str) -> str:
    from html import escape

    return escape(text, quote=False)
