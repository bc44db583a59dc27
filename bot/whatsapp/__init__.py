"""The WhatsApp channel: Cloud API webhook in, Graph API sends out, around the same core."""
