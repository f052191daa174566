"""Pure writers and readers of what leaves or enters the laptop; no store is imported here."""
