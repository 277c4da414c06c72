"""Nothing from outside content/ is published: a canary secret in the environment and in a file outside
the project, linked to every way we could think of, appears nowhere in output/."""

import os
from pathlib import Path

import pytest

from support import build_site, copy_content

from digest.check import check_tree
from common.safety import check_write_inside, content_problem, read_regular, ContentRefused

ENV_CANARY = "CANARY-ENV-7d1f0c2a"
FILE_CANARY = "CANARY-FILE-93be41f6"
POST = "---\ntitle: {title}\ndate: 2024-05-02 10:00\nlang: {lang}\n{extra}---\n\n{body}\n"


def a_post(title, body, lang="fr", extra=""):
    return POST.format(title=title, body=body, lang=lang, extra=extra)


@pytest.fixture(scope="module")
def linked(tmp_path_factory):
    os.environ["DIGEST_TEST_CANARY"] = ENV_CANARY
    tmp = tmp_path_factory.mktemp("links")
    outside = tmp / "outside"  # beside the project copy: outside content/ and outside the project
    (outside / "posts").mkdir(parents=True)
    secret = outside / "secret.txt"
    secret.write_text(FILE_CANARY + "\n")
    (outside / "post.md").write_text(a_post("Fuite", FILE_CANARY))
    (outside / "posts" / "inner.md").write_text(a_post("Fuite dossier", FILE_CANARY))
    (outside / "data.yaml").write_text(f"label: {FILE_CANARY}\n")
    project = tmp / "project"
    project.mkdir()
    content = copy_content(project)
    (project / "notes.md").write_text(a_post("Projet", FILE_CANARY))  # in the project, not content/
    links = {
        # name under content/ -> target (every way a link can lead out)
        "images/environ": "/proc/self/environ",
        "images/proc-dir": "/proc/self",
        "images/passwd": "/etc/passwd",
        "images/secret.txt": str(secret),
        "images/relative.txt": os.path.relpath(secret, content / "images"),
        "images/outside-dir": str(outside),
        "images/null": "/dev/null",
        "images/dangling.png": str(outside / "missing.png"),
        "posts/2024/leak.md": str(outside / "post.md"),
        "posts/2024/relative-leak.md": os.path.relpath(outside / "post.md", content / "posts" / "2024"),
        "posts/2024/project.md": str(project / "notes.md"),
        "posts/2024/environ.md": "/proc/self/environ",
        "posts/2024/loop": "..",
        "posts/2024/tty.md": "/dev/tty",
        "posts/leaky-folder": str(outside / "posts"),
        "pages/leak.fr.md": str(outside / "post.md"),
        "translations/en/2024/leak.md": str(outside / "post.md"),
        "translations/en/2031": str(outside / "posts"),
        "data/extra.yaml": str(outside / "data.yaml"),
    }
    for name, target in links.items():
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, content / name)
    os.mkfifo(content / "posts" / "2024" / "fifo.md")
    os.mkfifo(content / "images" / "fifo.png")
    # allowed by the rule: a link to a regular file inside content/
    (content / "shared").mkdir()
    (content / "shared" / "linked.md").write_text(a_post("Lien interne", "Publié par un lien."))
    os.symlink("../../shared/linked.md", content / "posts" / "2024" / "linked.md")
    # {static} and {filename} links that climb out of content/
    (content / "posts" / "2024" / "climb.md").write_text(a_post(
        "Grimpe", f"![x]({{static}}../../../outside/secret.txt) [y]({{static}}/../../outside/secret.txt) "
                  f"[z]({{filename}}../../../outside/post.md) ![w]({{static}}/images/environ)"))
    settings, report, out = build_site(project, content=content)
    rebuilt = build_site(project, content=content)[1]
    yield {"settings": settings, "report": report, "rebuilt": rebuilt, "out": out, "links": links,
           "content": content, "outside": outside}
    del os.environ["DIGEST_TEST_CANARY"]


def test_no_canary_anywhere_in_the_output(linked):
    out = Path(linked["out"])
    files = [p for p in out.rglob("*") if p.is_file() or p.is_symlink()]
    assert len(files) > 50
    passwd = Path("/etc/passwd").read_bytes()[:20]
    for path in files:
        assert not path.is_symlink(), path  # nothing links out of output/ either
        data = path.read_bytes()
        assert ENV_CANARY.encode() not in data, path
        assert FILE_CANARY.encode() not in data, path
        assert passwd not in data, path


def test_every_link_that_leaves_is_refused_by_name(linked):
    errors = {e.path: e for e in linked["report"].errors}
    for name in linked["links"]:
        if name.startswith(("posts/2024/loop", "images/proc-dir", "images/outside-dir",
                            "translations/en/2031", "posts/leaky-folder")):
            # a link to a folder
            assert f"content/{name}" in errors, (name, sorted(errors))
            continue
        assert f"content/{name}" in errors, (name, sorted(errors))
    assert "outside content/" in errors["content/posts/2024/leak.md"].message
    assert "does not exist" in errors["content/images/dangling.png"].message
    warnings = {w.path: w for w in linked["report"].warnings}
    assert "FIFO" in warnings["content/posts/2024/fifo.md"].message
    assert "FIFO" in warnings["content/images/fifo.png"].message


def test_the_allowed_link_is_published(linked):
    assert (Path(linked["out"]) / "2024" / "05" / "linked" / "index.html").exists()
    assert (Path(linked["out"]) / "2024" / "05" / "climb" / "index.html").exists()  # the post itself


def test_check_and_a_rebuild_name_the_same_files(linked):
    _count, errors, warnings = check_tree(linked["settings"])
    def links_only(problems):
        return sorted(str(p) for p in problems if "link" in p.message or "FIFO" in p.message)

    build = [p for p in linked["report"].errors if "linked from a post" not in p.message]
    assert links_only(errors) == links_only(build)
    assert links_only(warnings) == links_only(linked["report"].warnings)
    assert sorted(map(str, linked["rebuilt"].errors)) == sorted(map(str, linked["report"].errors))


def test_content_problem_and_read_regular(tmp_path):
    root = tmp_path / "content"
    root.mkdir()
    (root / "ok.md").write_text("x")
    os.symlink("ok.md", root / "inside.md")
    os.symlink("/etc/hostname", root / "out.md")
    os.mkfifo(root / "pipe.md")
    assert content_problem(str(root / "ok.md"), str(root)) is None
    assert content_problem(str(root / "inside.md"), str(root)) is None
    assert content_problem(str(root / "out.md"), str(root)).fatal
    assert not content_problem(str(root / "pipe.md"), str(root)).fatal
    with pytest.raises(ContentRefused):
        read_regular(str(root / "pipe.md"))  # returns at once instead of waiting for a writer
    with pytest.raises(ContentRefused):
        read_regular(str(root / "out.md"), str(root))
    assert read_regular(str(root / "inside.md"), str(root)) == b"x"


def test_a_linked_translation_folder_is_caught_before_a_write(tmp_path):
    memory = tmp_path / "content" / "translations" / "en"
    memory.mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, memory / "2024")
    root = str(tmp_path / "content" / "translations")
    assert "outside" in check_write_inside(str(memory / "2024" / "post.md"), root)
    assert "outside" in check_write_inside(str(memory / "2024" / "new" / "post.md"), root)
    assert check_write_inside(str(memory / "2025" / "post.md"), root) is None
    os.symlink(tmp_path / "x.md", memory / "link.md")
    assert check_write_inside(str(memory / "link.md"), root) is not None
