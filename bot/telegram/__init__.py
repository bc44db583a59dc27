"""The Telegram channel: python-telegram-bot wiring, rendering, running and reminder delivery."""
