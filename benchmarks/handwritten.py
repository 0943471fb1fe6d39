"""Hand-written pydantic models of the documented Workflows request shapes, as a team would write them without
the generator (the reference page's classes): the baseline of the validation benchmark."""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, Field, model_validator

UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
UPN_PATTERN = r"^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}$"
SID_PATTERN = r"^S(-\d+){2,10}$|^0$"


class ExecutionRequest(BaseModel):
    """Request body used to execute a workflow with collector UUIDs or SIDs."""

    workflowId: str = Field(min_length=1)
    devices: list[str] = Field(default_factory=list, max_length=10000)
    users: list[str] = Field(default_factory=list, max_length=10000)
    params: dict[str, str] | None = None

    @model_validator(mode="after")
    def validate_targets(self) -> Self:
        """Require at least one target despite contradictory docs required fields."""
        if not (self.devices or self.users):
            raise ValueError("at least one device or user target is required")
        return self


class DeviceData(BaseModel):
    """Device selector accepted by Workflows v2 execution."""

    name: str | None = None
    uid: str | None = Field(default=None, pattern=UUID_PATTERN)
    collectorUid: str | None = Field(default=None, pattern=UUID_PATTERN)

    @model_validator(mode="after")
    def validate_identifier(self) -> Self:
        """Require at least one supported device identifier."""
        if self.name is None and self.uid is None and self.collectorUid is None:
            raise ValueError("at least one identifier is required")
        return self


class UserData(BaseModel):
    """User selector accepted by Workflows v2 execution."""

    uid: str | None = Field(default=None, pattern=UUID_PATTERN)
    upn: str | None = Field(default=None, pattern=UPN_PATTERN)
    sid: str | None = Field(default=None, pattern=SID_PATTERN)

    @model_validator(mode="after")
    def validate_identifier(self) -> Self:
        """Require at least one supported user identifier."""
        if self.uid is None and self.upn is None and self.sid is None:
            raise ValueError("at least one identifier is required")
        return self


class ExternalIdsExecutionRequest(BaseModel):
    """Request body used to execute a workflow with external identifiers."""

    workflowId: str = Field(min_length=1)
    devices: list[DeviceData] = Field(default_factory=list, max_length=10000)
    users: list[UserData] = Field(default_factory=list, max_length=10000)
    params: dict[str, str] | None = None

    @model_validator(mode="after")
    def validate_targets(self) -> Self:
        """Require at least one target despite contradictory docs required fields."""
        if not (self.devices or self.users):
            raise ValueError("at least one device or user target is required")
        return self
