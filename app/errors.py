"""Domain errors carry the HTTP status they mean, so services need no web imports to say it.

Their message is written with `app.messages.N_` where a person reads it, so that the web layer
can show it in the interface language."""


class DomainError(Exception):
    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    status_code = 404


class Invalid(DomainError):
    status_code = 422


class Conflict(DomainError):
    """Someone else saved what the request was based on, since it was read."""

    status_code = 409


class FieldsInvalid(Invalid):
    """One message per form field, shown beside it."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors
