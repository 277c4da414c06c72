"""A rebuild renders only what changed, and its output is byte for byte a cold build's output."""

import shutil
from pathlib import Path

from support import ROOT, build_site, copy_content


def files(out):
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in Path(out).rglob("*") if p.is_file()}


def same_as_cold(tmp_path, content, out, name, **overrides):
    cold_tmp = tmp_path / name
    cold_tmp.mkdir()
    _s, report, cold = build_site(cold_tmp, content=content, **overrides)
    mine, theirs = files(out), files(cold)
    assert set(mine) == set(theirs), set(mine) ^ set(theirs)
    differ = [name for name in mine if mine[name] != theirs[name]]
    assert differ == []


def test_rebuild_with_nothing_changed_renders_nothing(tmp_path):
    content = copy_content(tmp_path)
    _s, first, out = build_site(tmp_path, content=content)
    assert first.output["written"] > 50
    _s, second, out = build_site(tmp_path, content=content)
    assert second.output["written"] == 0 and second.output["removed"] == 0
    assert second.output["kept"] + second.output["unchanged"] == first.output["written"]
    assert second.output["unchanged"] <= 2  # the sitemap and robots.txt are cheap to regenerate


def test_editing_one_post_rerenders_its_pages_only_and_matches_a_cold_build(tmp_path):
    content = copy_content(tmp_path)
    _s, first, out = build_site(tmp_path, content=content)
    post = content / "posts/2024/anthropic-claude-3.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nAn edited closing sentence.\n",
                    encoding="utf-8")
    _s, second, out = build_site(tmp_path, content=content)
    assert 0 < second.output["written"] < first.output["written"] / 3
    assert "An edited closing sentence." in (out / "en/2024/03/anthropic-claude-3/index.html").read_text()
    same_as_cold(tmp_path, content, out, "cold")


def test_a_template_or_ui_string_change_rerenders_everything(tmp_path):
    content = copy_content(tmp_path)
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    _s, first, out = build_site(tmp_path, content=content, THEME=str(theme))
    ui = content / "data/ui.yaml"
    ui.write_text(ui.read_text(encoding="utf-8").replace('nav_archives: "Archives"',
                                                         'nav_archives: "Les archives"', 1),
                  encoding="utf-8")
    _s, second, out = build_site(tmp_path, content=content, THEME=str(theme))
    assert "Les archives" in (out / "index.html").read_text()
    assert second.output["kept"] == 0
    base = theme / "templates/base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("<body", "<body data-v=\"2\"", 1),
                    encoding="utf-8")
    _s, third, out = build_site(tmp_path, content=content, THEME=str(theme))
    assert third.output["kept"] == 0
    same_as_cold(tmp_path, content, out, "cold", THEME=str(theme))
