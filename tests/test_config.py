"""Configuration: documented, validated, and bad values exit with one clear line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import SETTINGS, ConfigError, Settings

ROOT = Path(__file__).resolve().parent.parent


def run_bot(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DWBOT_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        input="",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**clean, "PYTHONPATH": str(ROOT), "DWBOT_DATA_DIR": str(tmp_path / "d"), **env},
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"TELEGRAM_BOT_TOKEN": "not-a-token"}, "TELEGRAM_BOT_TOKEN is malformed"),
        ({"DWBOT_DEFAULT_LOCALE": "xx"}, "DWBOT_DEFAULT_LOCALE 'xx' is not one of"),
        ({"DWBOT_ADMIN_IDS": "12,abc"}, "DWBOT_ADMIN_IDS must be"),
        ({"DWBOT_DATA_DIR": "/proc/forbidden"}, "is not writable"),
        ({"TELEGRAM_API_BASE_URL": "ftp://x"}, "must be an http(s) URL"),
        ({"DWBOT_BROADCAST_RATE": "-1"}, "DWBOT_BROADCAST_RATE must be a positive number"),
    ],
)
def test_bad_configuration_exits_with_one_line(
    tmp_path: Path, env: dict[str, str], expected: str
) -> None:
    result = run_bot(tmp_path, **env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_malformed_token_is_never_echoed(tmp_path: Path) -> None:
    secret = "123456:short-secret-value"
    result = run_bot(tmp_path, TELEGRAM_BOT_TOKEN=secret)
    assert secret not in result.stderr + result.stdout


def test_dotenv_file_is_read_and_environment_wins(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("DWBOT_DEFAULT_LOCALE=fr\nDWBOT_ADMIN_IDS=5,6\n")
    settings = Settings.from_env({"DWBOT_ADMIN_IDS": "7"}, dotenv)
    assert settings.default_locale == "fr"
    assert settings.admin_ids == frozenset({7})


def test_defaults() -> None:
    settings = Settings.from_env({}, None)
    assert settings.token is None
    assert settings.api_base_url == "https://api.telegram.org/bot"
    assert settings.data_dir == Path("./data")


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"`{setting.env}`" in readme, f"{setting.env} missing from README"


def test_valid_token_accepted() -> None:
    token = "123456789:" + "A" * 35
    assert Settings.from_env({"TELEGRAM_BOT_TOKEN": token}, None).token == token
    with pytest.raises(ConfigError):
        Settings.from_env({"TELEGRAM_BOT_TOKEN": "123:abc"}, None)
