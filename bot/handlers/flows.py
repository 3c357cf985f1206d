"""Declared flows: each multi-step task names the steps that take typed text, the media it
waits for and the buttons that belong to it. One router sends text to the step she is at.

The state is in the database (`FlowService`), loaded once per update with the user, so it
survives restarts and works across processes. She always gets out: /start, /menu, /cancel,
any other command, a main-menu button or a button of another feature leaves the flow with no
effect (nothing is stored before a flow's last step), and so does leaving it idle past
`DWBOT_FLOW_TIMEOUT_MINUTES`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from telegram import Update

from bot import callbacks
from bot.context import BotContext
from bot.domain.flows import Flow
from bot.domain.users import User
from bot.handlers.common import send
from bot.handlers.menu import main_menu_markup, menu_key
from bot.i18n import _

TextStep = Callable[[Update, BotContext, User, Flow, str], Awaitable[None]]
MediaStep = Callable[[Update, BotContext, User, Flow], Awaitable[None]]


@dataclass(frozen=True)
class FlowSpec:
    name: str
    text: Mapping[str, TextStep] = field(default_factory=dict)  # step ("*": any) -> reader
    media: Mapping[str, MediaStep] = field(default_factory=dict)  # step -> photo/voice/file
    buttons: frozenset[str] = frozenset()  # "action" or "action:first-arg" of its buttons

    def owns(self, data: str | None) -> bool:
        try:
            pressed = callbacks.decode(data)
        except callbacks.InvalidCallback:
            return False
        first = pressed.args[0] if pressed.args else ""
        return pressed.action in self.buttons or f"{pressed.action}:{first}" in self.buttons


def buttons(*keys: str) -> frozenset[str]:
    return frozenset(keys)


class Flows:
    """The registry of declared flows, and the one place that routes into them."""

    def __init__(self, specs: Iterable[FlowSpec] = ()) -> None:
        self._specs: dict[str, FlowSpec] = {}
        for spec in specs:
            self.declare(spec)

    def declare(self, spec: FlowSpec) -> None:
        if spec.name in self._specs:
            raise RuntimeError(f"flow {spec.name!r} declared twice")
        self._specs[spec.name] = spec

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self._specs)

    def spec(self, flow: Flow) -> FlowSpec | None:
        return self._specs.get(flow.name)

    def leaves(self, update: Update, flow: Flow) -> bool:
        """Does this update take her out of `flow`?"""
        spec = self.spec(flow)
        if spec is None:  # a flow this version no longer has
            return True
        if update.callback_query is not None:
            return not spec.owns(update.callback_query.data)
        message = update.message
        if message is None or message.text is None:
            return False  # media and locations go to the flow, which says what it expects
        return message.text.startswith("/") or menu_key(message.text) is not None

    async def leave_on_exit(self, update: Update, context: BotContext) -> None:
        """Runs for every update, after the user is loaded."""
        flow = context.flow
        if flow is None or context.worker is None or not self.leaves(update, flow):
            return
        await context.services.flows.end(context.worker.user_id)
        context.flow, context.left_flow = None, flow

    async def on_text(self, update: Update, context: BotContext, text: str) -> bool:
        """Text router step: typed text goes to the step of the flow she is in."""
        flow, user = context.flow, context.worker
        if flow is None or user is None:
            return False
        spec = self.spec(flow)
        step = spec.text.get(flow.step) or spec.text.get("*") if spec else None
        if step is None:
            await send(
                update, context, _("Please tap one of the buttons above, or send /cancel to stop.")
            )
            return True
        await step(update, context, user, flow, text)
        return True

    async def on_media(self, update: Update, context: BotContext) -> bool:
        flow, user = context.flow, context.worker
        if flow is None or user is None:
            return False
        spec = self.spec(flow)
        step = spec.media.get(flow.step) if spec else None
        if step is None:
            return False
        await step(update, context, user, flow)
        return True


async def cancel_command(update: Update, context: BotContext) -> None:
    """/cancel: the exit hook has already ended any flow; say so, with the menu."""
    text = (
        _("Stopped. Nothing was saved.")
        if context.left_flow is not None
        else _("There is nothing to stop. Here is the menu.")
    )
    await send(update, context, text, main_menu_markup())


async def save(context: BotContext, name: str, data: Mapping[str, Any]) -> Flow:
    """Begin or move on the current user's flow `name`; its whole state is `data`."""
    assert context.worker is not None
    context.flow = await context.services.flows.save(context.worker.user_id, name, data)
    return context.flow


async def end(context: BotContext) -> None:
    if context.worker is not None and context.flow is not None:
        await context.services.flows.end(context.worker.user_id)
    context.flow = None


def current(context: BotContext, name: str, *steps: str) -> Flow:
    """The flow a button belongs to, or an old/forged button (answered as stale)."""
    flow = context.flow
    if flow is None or not flow.at(name, *steps):
        raise callbacks.InvalidCallback(f"not in flow {name} {steps}")
    return flow
