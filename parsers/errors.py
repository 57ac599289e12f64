"""The errors parsers may raise: nothing else escapes a parser."""


class DocumentError(ValueError):
    """A document that cannot be ingested, with a one-line reason."""

    def __init__(self, document: str, reason: str) -> None:
        super().__init__(f"{document}: {reason}")
        self.document = document
        self.reason = reason
