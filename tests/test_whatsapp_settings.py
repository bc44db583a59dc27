"""WhatsApp and reminder-retry settings: all or nothing, each mistake named."""

from __future__ import annotations

import pytest

from bot.settings import GRAPH_API, Settings, SettingsError, WhatsAppSettings

FULL = {
    "WHATSAPP_ACCESS_TOKEN": "EAAG",
    "WHATSAPP_PHONE_NUMBER_ID": "1234567890",
    "WHATSAPP_APP_SECRET": "s",
    "WHATSAPP_VERIFY_TOKEN": "v",
}


def test_whatsapp_is_off_without_settings_and_on_with_all_four() -> None:
    assert WhatsAppSettings.from_env({}) is None
    wa = WhatsAppSettings.from_env(FULL)
    assert wa is not None and wa.api_base_url == GRAPH_API
    assert wa.messages_url == f"{GRAPH_API}/1234567890/messages"


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({**FULL, "WHATSAPP_APP_SECRET": ""}, "WHATSAPP_APP_SECRET"),
        ({"WHATSAPP_ACCESS_TOKEN": "x"}, "WHATSAPP_VERIFY_TOKEN"),
        ({**FULL, "WHATSAPP_PHONE_NUMBER_ID": "+62 812"}, "WHATSAPP_PHONE_NUMBER_ID"),
    ],
)
def test_a_half_set_up_whatsapp_is_named(env: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError, match=named):
        WhatsAppSettings.from_env(env)


@pytest.mark.parametrize("value", ["nan", "inf", "0", "-1", "soon"])
def test_retry_base_must_be_a_positive_number(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("MPP_RETRY_BASE_S", value)
    with pytest.raises(SettingsError, match="MPP_RETRY_BASE_S"):
        Settings.from_env()


async def test_sends_stay_within_the_numbers_throughput() -> None:
    """However many answers are due at once, at most `rate` go out in any one second."""
    import asyncio

    from bot.whatsapp.client import GraphClient
    from bot.whatsapp.render import text_message
    from tests.fake_graph import FakeGraphServer, whatsapp_env

    with FakeGraphServer() as graph:
        env = whatsapp_env(graph)
        wa = WhatsAppSettings.from_env(env)
        assert wa is not None
        client = GraphClient(wa, rate=10)
        wa_ids = [f"6280000{i:04d}" for i in range(25)]
        for wa_id in wa_ids:
            graph.fake.last_inbound[wa_id] = 1e12  # inside the 24-hour window
        await asyncio.gather(*(client.send(w, text_message("hai")) for w in wa_ids))
        await client.close()
    times = sorted(m["at"] for m in graph.fake.sent)
    assert len(times) == 25
    # 10 at once, 10 a second later, 5 a second after that (arrival jitter aside).
    assert times[-1] - times[0] >= 1.5
