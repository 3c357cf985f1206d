"""Use cases for a worker's profile: onboarding choices, consents, export and erasure."""

from __future__ import annotations

import json
from typing import Any

from bot.domain import countries
from bot.domain.clock import Clock, iso
from bot.domain.errors import UserFacingError
from bot.domain.flows import Flow
from bot.domain.users import Consent, Role, User
from bot.i18n import AVAILABLE_LOCALES, N_, negotiate
from bot.storage.users import UserStore

CHOOSE_ZONE = N_("Please choose a time zone from the buttons.")


def _require_country(code: str) -> None:
    if not countries.is_country(code):
        raise UserFacingError(N_("Please choose a country from the buttons."))


class UserService:
    def __init__(
        self, store: UserStore, clock: Clock, admin_ids: frozenset[int], default_locale: str
    ) -> None:
        self.store = store
        self.clock = clock
        self.admin_ids = admin_ids
        self.default_locale = default_locale

    def _now(self) -> str:
        return iso(self.clock.now())

    async def get(self, user_id: int) -> User | None:
        return await self.store.get(user_id)

    async def load(self, user_id: int) -> tuple[User | None, Flow | None]:
        """The user and the flow she is in, read together once per update."""
        return await self.store.load(user_id)

    async def get_or_create(self, user_id: int, language_code: str | None) -> User:
        """The stored user, or a new one whose language comes from Telegram's language_code."""
        user = await self.store.get(user_id)
        if user is None:
            await self.store.create(
                user_id, negotiate(language_code, self.default_locale), self._now()
            )
            user = await self.store.get(user_id)
            assert user is not None
        return user

    async def set_locale(self, user_id: int, locale: str) -> User:
        if locale not in AVAILABLE_LOCALES:
            raise UserFacingError(N_("That language is not available yet."))
        await self.store.update(user_id, self._now(), locale=locale)
        return await self._require(user_id)

    def zone_choices(self, code: str) -> tuple[str, ...]:
        """The clocks a worker in `code` may keep (main one first); one means no question."""
        _require_country(code)
        return countries.zone_choices(code, self.clock.now().date())

    async def set_country(self, user_id: int, code: str, timezone: str | None = None) -> User:
        """Her country and, with it, her time zone: `timezone` (one of the country's) or its
        main one. Never the legacy "another country" code."""
        _require_country(code)
        zone = countries.country(code).timezone if timezone is None else timezone
        if not countries.has_zone(code, zone):
            raise UserFacingError(CHOOSE_ZONE)
        await self.store.update(user_id, self._now(), country=code, timezone=zone)
        return await self._require(user_id)

    async def set_consent(self, user_id: int, kind: Consent, granted: bool) -> User:
        await self.store.set_consent(user_id, kind.value, granted, self._now())
        return await self._require(user_id)

    async def set_neutral(self, user_id: int, on: bool) -> User:
        """Discreet mode: neutral notifications and file names."""
        await self.store.update(user_id, self._now(), neutral_notifications=int(on))
        return await self._require(user_id)

    async def set_quiet_hours(self, user_id: int, on: bool) -> User:
        await self.store.update(user_id, self._now(), quiet_hours=int(on))
        return await self._require(user_id)

    async def set_timezone(self, user_id: int, name: str, of_country: str | None = None) -> User:
        """Her time zone, typed (any IANA name, any case) or from the buttons of `of_country`
        (then it must be one of that country's zones)."""
        if of_country is not None:
            _require_country(of_country)
            if not countries.has_zone(of_country, name):
                raise UserFacingError(CHOOSE_ZONE)
        timezone = countries.timezone_named(name)
        if timezone is None:
            raise UserFacingError(
                N_("I don't know that time zone. Write it like this: Europe/Madrid")
            )
        await self.store.update(user_id, self._now(), timezone=timezone)
        return await self._require(user_id)

    async def finish_onboarding(self, user_id: int) -> User:
        await self.store.update(user_id, self._now(), onboarded=1)
        return await self._require(user_id)

    async def mark_blocked(self, user_id: int) -> None:
        await self.store.update(user_id, self._now(), active=0)

    async def roles(self, user_id: int) -> set[Role]:
        roles = await self.store.roles(user_id)
        if user_id in self.admin_ids:
            roles.add(Role.ADMIN)
        return roles

    async def export(self, user_id: int) -> bytes:
        """All stored data about the user as UTF-8 JSON."""
        data: dict[str, Any] = {
            "exported_at": self._now(),
            "user_id": user_id,
            "tables": await self.store.export(user_id),
        }
        return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")

    async def erase(self, user_id: int) -> int:
        return await self.store.erase(user_id)

    async def _require(self, user_id: int) -> User:
        user = await self.store.get(user_id)
        if user is None:
            # The user erased their data in another chat window and then pressed an old button.
            raise UserFacingError(
                N_("I don't have your details any more. Tap Start to begin again.")
            )
        return user
