"""Settings from config.toml, validated with pydantic; errors name the file and the key."""

from __future__ import annotations

import os
import tomllib
from datetime import time
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from bot.app.config_contacts import ContactsSection, DutySection, PersonSection, phone_field
from bot.domain.models import Language
from bot.domain.reports import Level, ReportCategory, ServiceLevels, Urgency

TOKEN_ENV = "SHANGLIANG_BOT_TOKEN"
CONFIG_ENV = "SHANGLIANG_CONFIG"
DEFAULT_CONFIG = Path("config.toml")


class ConfigError(Exception):
    """A configuration problem, already phrased as lines for the operator."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BotSection(_Section):
    """How to reach the Bot API."""

    token: SecretStr | None = None
    base_url: HttpUrl = HttpUrl("https://api.telegram.org/bot")
    base_file_url: HttpUrl = HttpUrl("https://api.telegram.org/file/bot")
    username: str | None = Field(default=None, pattern=r"^[A-Za-z][A-Za-z0-9_]{4,31}$")

    @field_validator("token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        raw = value.get_secret_value()
        head, _, tail = raw.partition(":")
        if not head.isdigit() or not tail:
            raise ValueError("does not look like a BotFather token (<digits>:<secret>)")
        return value


class StorageSection(_Section):
    """Where the SQLite database lives."""

    database: Path = Path("shangliang.db")


class CommunitySection(_Section):
    """The community this deployment serves."""

    name: str = Field(default="示范社区", min_length=1, max_length=100)
    timezone: str = "Asia/Shanghai"
    default_language: Language = Language.ZH

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use an IANA name)") from None
        return value

    @property
    def tz(self) -> ZoneInfo:
        """The community's time zone."""
        return ZoneInfo(self.timezone)


class QuietHoursSection(_Section):
    """Non-urgent pushes wait outside these hours (community time)."""

    start: time = time(22, 0)
    end: time = time(7, 0)


class DeliverySection(_Section):
    """How fast messages go out, under Telegram's limits with margins for the network.

    Telegram counts a message when it arrives: about 30 a second overall, 1 a second per
    private chat, 20 a minute per group. The network delays each request differently, so the
    overall pace stays below 30 (the default was measured to meet no 429 when each request's
    round trip is a random 0-150 ms), and each chat's next message leaves its spacing plus
    `chat_margin_seconds` after Telegram answered the previous one.
    """

    messages_per_second: float = Field(default=27.5, gt=0, le=30)
    chat_margin_seconds: float = Field(default=0.05, ge=0, le=5)


class LevelSection(_Section):
    """How many hours a ticket may wait to be accepted, and to be resolved."""

    accept_hours: float = Field(gt=0)
    resolve_hours: float = Field(gt=0)

    @model_validator(mode="after")
    def _accept_first(self) -> LevelSection:
        if self.resolve_hours < self.accept_hours:
            raise ValueError("resolve_hours must not be shorter than accept_hours")
        return self


class MeetingsSection(_Section):
    """When invitees are reminded of a meeting."""

    reminder_hours: list[float] = Field(default_factory=lambda: [24.0, 1.0])

    @field_validator("reminder_hours")
    @classmethod
    def _positive(cls, hours: list[float]) -> list[float]:
        if any(h <= 0 or h > 24 * 14 for h in hours):
            raise ValueError("reminders are between 0 and 336 hours before the meeting")
        return hours


class ServiceLevelsSection(_Section):
    """Report deadlines per urgency, optionally per category ("elevator" or "elevator/high")."""

    remind_before: float = Field(default=0.25, gt=0, lt=1)
    high: LevelSection = LevelSection(accept_hours=2, resolve_hours=24)
    normal: LevelSection = LevelSection(accept_hours=24, resolve_hours=72)
    low: LevelSection = LevelSection(accept_hours=48, resolve_hours=168)
    categories: dict[str, LevelSection] = Field(default_factory=dict)

    @field_validator("categories")
    @classmethod
    def _known(cls, value: dict[str, LevelSection]) -> dict[str, LevelSection]:
        for key in value:
            category, _, urgency = key.partition("/")
            if category not in {c.value for c in ReportCategory} or (
                urgency and urgency not in {u.value for u in Urgency}
            ):
                raise ValueError(
                    f"{key!r}: use a category ({', '.join(c.value for c in ReportCategory)}),"
                    " optionally followed by /high, /normal or /low"
                )
        return value

    def levels(self) -> ServiceLevels:
        """The domain's view of these settings."""

        def level(section: LevelSection) -> Level:
            return Level(accept_hours=section.accept_hours, resolve_hours=section.resolve_hours)

        return ServiceLevels(
            by_urgency={
                Urgency.HIGH: level(self.high),
                Urgency.NORMAL: level(self.normal),
                Urgency.LOW: level(self.low),
            },
            by_category={key: level(section) for key, section in self.categories.items()},
            remind_before=self.remind_before,
        )


def _user_ids(value: list[int]) -> list[int]:
    for user_id in value:
        if user_id <= 0:
            raise ValueError(f"{user_id} is not a Telegram user id")
    return value


class RolesSection(_Section):
    """Who is staff, by Telegram user id."""

    staff: list[int] = Field(default_factory=list)

    @field_validator("staff")
    @classmethod
    def _positive(cls, value: list[int]) -> list[int]:
        return _user_ids(value)


def _building_path(value: str) -> str:
    compound, sep, building = value.partition("/")
    if not sep or not compound.strip() or not building.strip():
        raise ValueError(f"{value!r} must be '<compound>/<building>', e.g. '幸福里小区/3号楼'")
    return f"{compound.strip()}/{building.strip()}"


class GridSection(_Section):
    """A 网格: its buildings (as '<compound>/<building>') and its grid workers' Telegram ids."""

    name: str = Field(min_length=1, max_length=50)
    buildings: list[str] = Field(default_factory=list)
    workers: list[int] = Field(default_factory=list)
    duty_hours: DutySection | None = None  # else [contacts] duty_hours
    contacts: list[PersonSection] = Field(default_factory=list)  # workers' names and phones

    @field_validator("buildings")
    @classmethod
    def _paths(cls, value: list[str]) -> list[str]:
        return [_building_path(item) for item in value]

    @field_validator("workers")
    @classmethod
    def _positive(cls, value: list[int]) -> list[int]:
        return _user_ids(value)


class BuildingLeadSection(_Section):
    """A 楼道长: a resident who also sees their building's open issues."""

    building: str
    telegram_id: int = Field(gt=0)
    name: str | None = Field(default=None, min_length=1, max_length=30)  # shown to residents
    phone: str | None = None  # shown to residents only if given here

    @field_validator("building")
    @classmethod
    def _path(cls, value: str) -> str:
        return _building_path(value)

    @field_validator("phone")
    @classmethod
    def _phone_shape(cls, value: str | None) -> str | None:
        return phone_field(value)


class WebhookSection(_Section):
    """Webhook mode: Telegram posts updates to `url`; the bot listens on listen:port."""

    listen: str = "127.0.0.1"
    port: int = Field(default=8443, ge=1, le=65535)
    url: HttpUrl | None = None
    path: str = Field(default="telegram", pattern=r"^[A-Za-z0-9_\-/]*$")
    secret_token: SecretStr | None = None

    @field_validator("secret_token")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        raw = value.get_secret_value()
        if not (1 <= len(raw) <= 256) or not all(c.isalnum() or c in "_-" for c in raw):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value


class _TokenFromEnvironment(PydanticBaseSettingsSource):
    """SHANGLIANG_BOT_TOKEN overrides bot.token from the file."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        token = os.environ.get(TOKEN_ENV, "").strip()
        return {"bot": {"token": token}} if token else {}


class Settings(BaseSettings):
    """Everything the bot needs to start."""

    model_config = SettingsConfigDict(extra="forbid", frozen=True)

    bot: BotSection = BotSection()
    storage: StorageSection = StorageSection()
    community: CommunitySection = CommunitySection()
    contacts: ContactsSection = ContactsSection()
    quiet_hours: QuietHoursSection = QuietHoursSection()
    roles: RolesSection = RolesSection()
    mode: Literal["polling", "webhook"] = "polling"
    webhook: WebhookSection = WebhookSection()
    grids: list[GridSection] = Field(default_factory=list)
    building_leads: list[BuildingLeadSection] = Field(default_factory=list)
    service_levels: ServiceLevelsSection = ServiceLevelsSection()
    meetings: MeetingsSection = MeetingsSection()
    delivery: DeliverySection = DeliverySection()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The environment token wins over the file; nothing else is read from the environment.
        return (_TokenFromEnvironment(settings_cls), init_settings)

    @model_validator(mode="after")
    def _each_building_in_one_grid(self) -> Settings:
        seen: dict[str, str] = {}
        for grid in self.grids:
            for building in grid.buildings:
                if building in seen and seen[building] != grid.name:
                    raise ValueError(
                        f"grids: {building} is in both {seen[building]!r} and {grid.name!r}"
                    )
                seen[building] = grid.name
        return self

    @model_validator(mode="after")
    def _webhook_needs_url(self) -> Settings:
        if self.mode == "webhook" and self.webhook.url is None:
            raise ValueError("webhook.url is required when mode = 'webhook'")
        return self

    @property
    def token(self) -> str | None:
        """The bot token, or None when neither the file nor the environment gives one."""
        return self.bot.token.get_secret_value() if self.bot.token else None


def _error_lines(source: str, error: ValidationError) -> list[str]:
    lines = []
    for item in error.errors():
        key = ".".join(str(part) for part in item["loc"]) or "(top level)"
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = "unknown key (see config.example.toml)"
        elif message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        lines.append(f"{source}: {key}: {message}")
    return lines


def settings_from_mapping(data: dict[str, Any], source: str = "<settings>") -> Settings:
    """Validate an already-parsed mapping, raising ConfigError with one line per problem."""
    try:
        return Settings(**data)
    except ValidationError as error:
        raise ConfigError(_error_lines(source, error)) from None


def config_path(path: Path | None = None) -> Path:
    """The config file to read: the one given, else $SHANGLIANG_CONFIG, else ./config.toml."""
    return path or Path(os.environ.get(CONFIG_ENV, DEFAULT_CONFIG))


def load_settings(path: Path | None = None, *, required: bool = True) -> Settings:
    """Read and validate the config file; without one (and not required) use the defaults."""
    path = config_path(path)
    if not path.exists():
        if required:
            raise ConfigError(
                [f"{path}: file not found (copy config.example.toml to {path} and edit it)"]
            )
        return settings_from_mapping({}, source=str(path))
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError([f"{path}: not valid TOML: {error}"]) from None
    except OSError as error:
        raise ConfigError([f"{path}: cannot be read: {error.strerror}"]) from None
    return settings_from_mapping(data, source=str(path))


def require_token(settings: Settings, source: str) -> str:
    """The token, or a ConfigError saying where to put it."""
    if settings.token is None:
        raise ConfigError([f"{source}: bot.token: missing (set it there or in ${TOKEN_ENV})"])
    return settings.token
