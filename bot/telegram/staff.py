"""Staff commands in Telegram (only for MPP_STAFF_IDS): announcements and catalogue reload.

Each command turns the message into a Reply; `app.py` sends it like any other reply.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from telegram import Update
from telegram.ext import ContextTypes

from handlers.announcements import StaffAnnouncements, staff_list
from handlers.conversation import Assistant
from handlers.types import Reply, say

Context = ContextTypes.DEFAULT_TYPE
STAFF_ONLY = say(
    "Maaf, perintah ini hanya untuk petugas MPP. 🙏",
    "Untuk pengingat nomor Anda sendiri: /antrian A030",
)


def is_staff(update: Update, context: Context) -> bool:
    user = update.effective_user
    return user is not None and user.id in context.bot_data["staff"]


def _now(assistant: Assistant, context: Context) -> datetime:
    return assistant.hours.local(context.bot_data["clock"]())


def _args(update: Update) -> str:
    return (update.effective_message.text or "").partition(" ")[2]  # type: ignore[union-attr]


async def announce(update: Update, context: Context, assistant: Assistant) -> Reply:
    """/umumkan [instansi] teks [sampai 12.00]: show a notice on top of answers."""
    by = f"telegram:{update.effective_user.id}"  # type: ignore[union-attr]
    staff = StaffAnnouncements(assistant.announcements)  # type: ignore[arg-type]
    return staff.create(assistant.catalogue, _args(update), _now(assistant, context), by)


async def announce_and_send(update: Update, context: Context, assistant: Assistant) -> Reply:
    """/umumkan_kirim ...: the same, and sent once to everyone waiting with a ticket today."""
    by = f"telegram:{update.effective_user.id}"  # type: ignore[union-attr]
    staff = StaffAnnouncements(assistant.announcements, assistant.queue)  # type: ignore[arg-type]
    now = _now(assistant, context)
    reply = staff.create(assistant.catalogue, _args(update), now, by, notify=True)
    if context.bot_data.get("sender"):
        context.bot_data["sender"].wake()
    return reply


async def list_announcements(update: Update, context: Context, assistant: Assistant) -> Reply:
    """/pengumuman: the announcements in force, with their numbers."""
    now = _now(assistant, context)
    active = assistant.announcements.active(now)  # type: ignore[union-attr]
    return staff_list(assistant.catalogue, active, now)


async def end_announcement(update: Update, context: Context, assistant: Assistant) -> Reply:
    """/hapus N: end announcement N now."""
    staff = StaffAnnouncements(assistant.announcements)  # type: ignore[arg-type]
    return staff.end(_args(update), _now(assistant, context))


async def reload_catalogue(update: Update, context: Context, assistant: Assistant) -> Reply:
    """/muatulang: read the catalogue files now (they are also watched)."""
    reloader = context.bot_data.get("reloader")
    if reloader is None:
        return say("Muat ulang katalog hanya berjalan di mpp-bot run.")
    return say(await reloader.reload())


StaffCommand = Callable[[Update, Context, Assistant], Awaitable[Reply]]
STAFF_COMMANDS: dict[str, StaffCommand] = {
    "umumkan": announce,
    "umumkan_kirim": announce_and_send,
    "pengumuman": list_announcements,
    "hapus": end_announcement,
    "muatulang": reload_catalogue,
}
NEEDS_ANNOUNCEMENTS = {"umumkan", "umumkan_kirim", "pengumuman", "hapus"}
