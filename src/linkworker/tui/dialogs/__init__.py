"""The one dialog family: form, confirm, choice and message."""
