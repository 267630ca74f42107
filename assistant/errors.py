"""One error type whose message is safe to show a user as a single line."""


class AssistantError(Exception):
    """Base error: its message is shown to the user as one line (CLI: stderr, exit 2)."""

    exit_code = 2


class InputError(AssistantError):
    """The user's input (question, file, flag) is unusable."""


class CorpusError(AssistantError):
    """The corpus folder is missing, empty or unreadable."""


class IndexCorruptError(AssistantError):
    """Persisted index files are missing, truncated or inconsistent."""
