"""Printable invitations: one QR code PNG per building and an HTML sheet of them all."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import qrcode
from qrcode.constants import ERROR_CORRECT_M

_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


@dataclass(frozen=True)
class Poster:
    """What one building's poster shows."""

    compound: str
    building: str
    link: str

    @property
    def file_name(self) -> str:
        """A file name safe on every system (Chinese characters kept)."""
        return _UNSAFE.sub("_", f"{self.compound}-{self.building}").strip("_.") + ".png"


def write_qr(link: str, path: Path) -> None:
    """A QR code of `link`, large enough to scan from a metre away when printed on A6."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=12, border=4)
    code.add_data(link)
    code.make(fit=True)
    with path.open("wb") as file:
        code.make_image().save(file)


def sheet_html(community: str, posters: list[Poster], *, app: str) -> str:
    """An A4 sheet: one card per building, with names, the QR code, how to join in `app` (the
    channel's name as residents know it) and the link."""
    name = html.escape(app)
    cards = "\n".join(
        f"""  <section class="card">
    <h2>{html.escape(p.compound)} · {html.escape(p.building)}</h2>
    <img src="{html.escape(p.file_name)}" alt="QR">
    <p class="how">扫码用 {name} 加入本楼，报事、投票、收通知<br>
    Scan with your phone camera to join your building in {name}</p>
    <p class="link">{html.escape(p.link)}</p>
  </section>"""
        for p in posters
    )
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{html.escape(community)} · 商量 扫码登记 / QR invitations</title>
<style>
  @page {{ size: A4; margin: 12mm; }}
  body {{ font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; }}
  .card {{ page-break-inside: avoid; break-inside: avoid; text-align: center;
          border: 1px dashed #888; margin: 0 0 10mm; padding: 6mm; }}
  .card h2 {{ font-size: 26pt; margin: 0 0 4mm; }}
  .card img {{ width: 90mm; height: 90mm; }}
  .how {{ font-size: 14pt; }}
  .link {{ font-family: monospace; font-size: 10pt; color: #444; }}
</style>
</head>
<body>
<h1>{html.escape(community)}</h1>
{cards}
</body>
</html>
"""


def write_sheet(folder: Path, community: str, posters: list[Poster], *, app: str) -> list[Path]:
    """Write every poster's PNG and index.html into `folder`; the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for poster in posters:
        path = folder / poster.file_name
        write_qr(poster.link, path)
        written.append(path)
    index = folder / "index.html"
    index.write_text(sheet_html(community, posters, app=app), encoding="utf-8")
    written.append(index)
    return written
