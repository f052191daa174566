"""The Textual app: sections, screens, dialogs, widgets and styles. The core never imports this."""
