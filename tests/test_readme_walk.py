"""The README's lifecycle walk is a script; run it as written against a real server on both databases."""

from __future__ import annotations

import os
import re
import subprocess

from tests.conftest import ADMIN_TOKEN, REPO, Server


def _walk_script() -> str:
    readme = (REPO / "README.md").read_text()
    section = readme.split("## An order's life, step by step", 1)[1]
    match = re.search(r"```bash\n(.*?)```", section, re.DOTALL)
    assert match is not None, "the README lost its walk"
    return match.group(1)


def test_the_readme_walk_runs_as_written(server: Server) -> None:
    env = {**os.environ, "BASE": server.base_url, "ORDERGATE_ADMIN_TOKEN": ADMIN_TOKEN}
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", _walk_script()],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    printed = [line for line in lines if not line.startswith("{")]
    assert printed[0] == "partially_paid"
    assert printed[1] == "paid"
    assert re.fullmatch(r"[0-9a-f]{24}", printed[2])
    assert printed[3:6] == ["partially_fulfilled", "True", "fulfilled"]
    timeline = printed[6:-1]
    assert [re.sub(r"^\S+ ", "", entry) for entry in timeline] == [
        "Order created for $36.00",
        "Partial payment of $10.00 recorded (cash)",
        "Payment of $26.00 recorded (card)",
        "Order status changed from pending to completed",
        "Fulfilled 2 items; order is partially_fulfilled (tracking 1Z999)",
        "Fulfilled 1 item; order is fulfilled",
    ]
    assert printed[-1] == "2 transactions, 36 USD"
    assert lines.count('{"success":true}') == 2
