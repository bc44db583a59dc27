"""The Telegram channel: python-telegram-bot wiring around the channel-neutral core."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime

from telegram import BotCommand, LinkPreviewOptions, Message, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)

from bot.delivery import ReminderSender
from bot.settings import Settings
from bot.telegram.rate import SharedRateLimiter
from bot.telegram.render import html_lines, keyboard, split_message
from bot.telegram.staff import NEEDS_ANNOUNCEMENTS, STAFF_COMMANDS, STAFF_ONLY, is_staff
from handlers.conversation import Assistant
from handlers.types import Incoming, Reply, say
from handlers.wording import COMMANDS, unknown_command
from knowledge.tickets import TicketError, parse_counter, parse_ticket
from state.rate import SharedRate

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
# Telegram's stand-in user for an anonymous group admin.
GROUP_ANONYMOUS_BOT = 1087968824
SORRY = "Maaf, sedang ada gangguan. Silakan coba lagi sebentar lagi. 🙏"
NON_TEXT_KINDS = (
    filters.Sticker.ALL
    | filters.PHOTO
    | filters.VOICE
    | filters.AUDIO
    | filters.VIDEO
    | filters.VIDEO_NOTE
    | filters.Document.ALL
    | filters.LOCATION
    | filters.CONTACT
    | filters.ANIMATION
    | filters.POLL
    | filters.Dice.ALL
)


class _AddressedToBot(filters.MessageFilter):
    """In groups, only messages that mention the bot or reply to it; in private chats, all."""

    def filter(self, message: Message) -> bool:
        if message.chat.type == ChatType.PRIVATE:
            return True
        bot = message.get_bot()
        replied = message.reply_to_message
        if replied and replied.from_user and replied.from_user.id == bot.id:
            return True
        return f"@{bot.username}".lower() in (message.text or message.caption or "").lower()


ADDRESSED = _AddressedToBot()


def build_application(
    settings: Settings,
    assistant: Assistant,
    clock: Clock,
    sender: ReminderSender | None = None,
) -> Application:
    """The Application, with every handler wired; nothing is started. `sender` is woken by
    /panggil."""
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_token or "")
        .base_url(settings.telegram_api_base_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW))
        .post_init(_register_commands)
        .concurrent_updates(True)
    )
    rate = settings.telegram_rate_limit
    if rate > 0 and settings.database_url and assistant.queue:
        # Several workers may share this bot: the overall rate is kept in the database.
        shared = SharedRate(assistant.queue.store.db, "telegram", rate)
        builder = builder.rate_limiter(SharedRateLimiter(shared))
    elif rate > 0:
        builder = builder.rate_limiter(AIORateLimiter(overall_max_rate=rate, max_retries=3))
    app = builder.build()
    app.bot_data.update(assistant=assistant, clock=clock, sender=sender, staff=settings.staff_ids)
    # An edited question is answered again: people fix typos by editing.
    private_or_addressed = (filters.UpdateType.MESSAGE | filters.UpdateType.EDITED_MESSAGE) & (
        ADDRESSED
    )
    for name in COMMANDS:
        app.add_handler(CommandHandler(name, on_command, filters=filters.UpdateType.MESSAGE))
    app.add_handler(CommandHandler("panggil", on_call, filters=filters.UpdateType.MESSAGE))
    for name in STAFF_COMMANDS:
        app.add_handler(CommandHandler(name, on_staff, filters=filters.UpdateType.MESSAGE))
    app.add_handler(
        MessageHandler(private_or_addressed & filters.TEXT & ~filters.COMMAND, on_text)
    )
    app.add_handler(
        MessageHandler(filters.UpdateType.MESSAGE & ADDRESSED & filters.COMMAND, on_unknown)
    )
    app.add_handler(MessageHandler(private_or_addressed & NON_TEXT_KINDS, on_other))
    app.add_handler(CallbackQueryHandler(on_button))
    app.add_error_handler(on_error)
    return app


async def _register_commands(app: Application) -> None:
    await app.bot.set_my_commands([BotCommand(n, d) for n, d in COMMANDS.items()])


def _incoming(update: Update, context: ContextTypes.DEFAULT_TYPE, **kw: object) -> Incoming:
    clock: Clock = context.bot_data["clock"]
    user, chat = update.effective_user, update.effective_chat
    where = f"telegram:{chat.id}" if chat else None
    message = update.effective_message
    anonymous = bool(message and message.sender_chat) or bool(
        user and user.id == GROUP_ANONYMOUS_BOT
    )
    return Incoming(
        str(user.id if user else "?"),
        clock(),
        chat=where,
        anonymous=anonymous,
        **kw,  # type: ignore[arg-type]
    )


def _assistant(context: ContextTypes.DEFAULT_TYPE) -> Assistant:
    return context.bot_data["assistant"]


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start, /help, /instansi, /layanan, /jam, /lokasi, /fasilitas."""
    text = update.effective_message.text or ""
    name = text.split()[0].lstrip("/").split("@")[0].lower()
    args = " ".join(context.args or [])
    reply = _assistant(context).command(name, _incoming(update, context), args)
    await send_reply(update, context, reply)


async def on_staff(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/umumkan, /pengumuman, /hapus, /muatulang: staff only; anyone else is refused."""
    name = (update.effective_message.text or "").split()[0].lstrip("/").split("@")[0].lower()
    assistant = _assistant(context)
    allowed = assistant.announcements is not None or name not in NEEDS_ANNOUNCEMENTS
    if not (is_staff(update, context) and allowed):
        await send_reply(update, context, STAFF_ONLY)
        return
    await send_reply(update, context, await STAFF_COMMANDS[name](update, context, assistant))


async def on_call(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/panggil A025 3: staff call a number; anyone else is refused and nothing changes."""
    queue = _assistant(context).queue
    if not is_staff(update, context) or queue is None:
        await send_reply(update, context, STAFF_ONLY)
        return
    args = context.args or []
    try:
        ticket = parse_ticket(args[0]) if args else None
    except TicketError:
        ticket = None
    counter = parse_counter(" ".join(args[1:]))
    if ticket is None or counter is None:
        await send_reply(update, context, say("Format: /panggil A025 3  (nomor tiket, loket)"))
        return
    clock: Clock = context.bot_data["clock"]
    state, made = queue.call(ticket, counter, clock())
    if context.bot_data["sender"]:
        context.bot_data["sender"].wake()
    called = "Dipanggil ulang" if state.recall else "Dipanggil"
    await send_reply(
        update,
        context,
        say(f"{called}: {ticket} ke loket {state.counter}. Pengingat dikirim: {made}."),
    )


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Free text: the question goes to the conversation core."""
    text = update.effective_message.text or ""
    if context.bot.username:  # "@MPP_Batu_Bot jam buka": Telegram ignores the case of names
        text = re.sub(re.escape(f"@{context.bot.username}"), " ", text, flags=re.IGNORECASE)
    reply = _assistant(context).handle(_incoming(update, context, text=text))
    await send_reply(update, context, reply)


async def on_other(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice notes...: ask kindly for text."""
    reply = _assistant(context).handle(_incoming(update, context, kind="media"))
    await send_reply(update, context, reply)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A pressed choice: always answer the callback (stops the spinner), then the reply."""
    query = update.callback_query
    try:
        await query.answer()
    except TelegramError as exc:  # "query is too old" after a restart: still give the answer
        log.info("button spinner not stopped (%s): answering anyway", type(exc).__name__)
    payload = query.data or ""
    reply = _assistant(context).handle(_incoming(update, context, payload=payload, kind="button"))
    await send_reply(update, context, reply)


async def on_unknown(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command this bot does not have: the core says which ones it has."""
    await send_reply(update, context, unknown_command())


async def send_reply(update: Update, context: ContextTypes.DEFAULT_TYPE, reply: Reply) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    parts = split_message(html_lines(reply))
    markup = keyboard(reply)
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        await context.bot.send_message(chat.id, part, reply_markup=markup if last else None)
    if reply.location:
        loc = reply.location
        await context.bot.send_venue(chat.id, loc.latitude, loc.longitude, loc.title, loc.address)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure without message text or personal data, and tell the user."""
    error = context.error
    log.error(
        "update failed: %s: %s",
        type(error).__name__,
        error if isinstance(error, TelegramError) else "",
        exc_info=not isinstance(error, TelegramError),
    )
    if isinstance(update, Update) and update.effective_chat:
        try:
            await context.bot.send_message(update.effective_chat.id, SORRY)
        except TelegramError:
            log.warning("could not tell chat about the failure")
