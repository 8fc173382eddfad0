"""The API's error answers: one exception type carrying the spec's ``ApiException`` body."""

from __future__ import annotations

from starlette.responses import JSONResponse

BAD_REQUEST = "BAD_REQUEST"
UNAUTHORIZED = "UNAUTHORIZED"
NOT_FOUND = "NOT_FOUND"
TOO_MANY_REQUESTS = "TOO_MANY_REQUESTS"
GENERAL_ERROR = "GENERAL_ERROR"
SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"

_TEXTS = {
    BAD_REQUEST: "Bad request",
    UNAUTHORIZED: "Invalid login details",
    NOT_FOUND: "Requested resource not found",
    TOO_MANY_REQUESTS: "Too many requests",
    GENERAL_ERROR: "Something went wrong. Please contact support.",
    SERVICE_UNAVAILABLE: "Service temporarily unavailable",
    METHOD_NOT_ALLOWED: "Method not allowed",
}


class ApiProblem(Exception):
    """An error answer: status, the spec's messageId and text, and per-field problems."""

    def __init__(
        self,
        status: int,
        message_id: str,
        text: str | None = None,
        validation_errors: dict[str, list[str]] | None = None,
    ) -> None:
        self.status = status
        self.message_id = message_id
        self.text = text or _TEXTS.get(message_id, message_id)
        self.validation_errors = validation_errors or {}
        super().__init__(f"{status} {message_id}: {self.text}")

    def body(self) -> dict[str, object]:
        details: dict[str, object] = {"messageId": self.message_id, "text": self.text}
        if self.validation_errors:
            details["validationErrors"] = self.validation_errors
        return {"requestError": {"serviceException": details}}

    def response(self) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.status)


def bad_request(field: str, message: str) -> ApiProblem:
    return ApiProblem(400, BAD_REQUEST, validation_errors={field: [message]})


class ConnectionDropped(Exception):
    """Raised in the embedded transport where a served emulator would drop the connection."""
