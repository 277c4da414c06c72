"""Guards for commands that delete files, and for what the build reads and writes."""

import os
import stat
import subprocess


PROTECTED = ("content", "plugins", "theme", "tests", ".git")
# What a task that empties an output folder (clean, preview, gh-pages) never deletes, on top of
# PROTECTED and of every file git tracks: sources that are not inputs of the build.
NEVER_DELETED = PROTECTED + ("docs", ".github", "benchmarks", "requirements", ".ci", ".venv",
                             "node_modules")


def check_output(path, project_root):
    """Why `path` must not be an output folder (a build writes and deletes files in it), or None.
    Outside the project is allowed: tests and benchmarks build into temporary folders."""
    if not path or not str(path).strip():
        return "the path is empty"
    target = os.path.realpath(os.path.join(project_root, os.path.expanduser(str(path))))
    root = os.path.realpath(project_root)
    if target == os.path.realpath(os.sep):
        return "it is the file system root"
    if target == os.path.realpath(os.path.expanduser("~")):
        return "it is the home folder"
    if target == root:
        return "it is the project root"
    for keep in PROTECTED:
        protected = os.path.join(root, keep)
        common = os.path.commonpath([target, protected])
        if common in (protected, target):
            return f"it is or contains {keep}/"
    return None


def check_deletable(path, project_root):
    """Why `path` must not be deleted as an output folder, or None when it is safe: it must be
    inside the project, hold no source folder and no file that git tracks."""
    problem = check_output(path, project_root)
    if problem:
        return problem
    target = os.path.realpath(os.path.join(project_root, os.path.expanduser(str(path))))
    root = os.path.realpath(project_root)
    if os.path.commonpath([target, root]) != root:
        return "it is outside the project"
    for keep in NEVER_DELETED:
        protected = os.path.join(root, keep)
        if os.path.commonpath([target, protected]) in (protected, target):
            return f"it is or contains {keep}/"
    tracked = tracked_files(root, target)
    if tracked is None:
        return ("git cannot say which files under it are tracked (run `git status` to see why), "
                "so nothing is deleted")
    if tracked:
        more = f" and {len(tracked) - 1} more" if len(tracked) > 1 else ""
        return (f"it holds {tracked[0]}{more}, tracked by git (an output folder holds only what "
                "the build writes: set OUTPUT_PATH to a folder of its own, such as output)")
    return None


def tracked_files(root, target):
    """The files under `target` that git tracks in the repository at `root` (paths relative to
    root); [] when root is not in a git work tree, None when it is but git cannot answer."""
    in_repo = any(os.path.exists(os.path.join(folder, ".git"))
                  for folder in _ancestors(root))
    # safe.directory: a clone owned by another user (sudo in your own clone) may still be read.
    command = ["git", "-c", f"safe.directory={root}", "--literal-pathspecs", "-C", root,
               "ls-files", "-z", "--", os.path.relpath(target, root)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None if in_repo else []
    if done.returncode != 0:
        return None if in_repo else []
    return [name for name in done.stdout.split("\0") if name]


def _ancestors(path):
    path = os.path.realpath(path)
    while True:
        yield path
        parent = os.path.dirname(path)
        if parent == path:
            return
        path = parent


# -- what the build reads and writes --------------------------------------------------------------
#
# One rule for links under content/: a symbolic link is followed only when it leads to a regular
# file inside content/ itself. A link that leaves content/ (even to elsewhere in the project: .git/
# holds remote addresses with tokens), a link to a folder (a folder can loop back, and makes every
# file in it a second path to the same post), a dangling link, and anything that is not a regular
# file (a device, a FIFO, a socket, /proc) are refused by name and never read, copied or published.

LINK_RULE = "a link under content/ is followed only to a regular file inside content/"


class ContentRefused(OSError):
    """A content path the build must not read; `reason` says why in an editor's words, `fatal`
    whether it is a content error (a link that leaves content/) or a warning (a FIFO)."""

    def __init__(self, path, reason, fatal=True):
        super().__init__(reason)
        self.path, self.reason, self.fatal = path, reason, fatal


def _inside(path, root):
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _kind(mode):
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "not a regular file"


def content_problem(path, content_root):
    """Why the file at `path` must not be read as content (a ContentRefused), or None when it is a
    regular file inside `content_root`, possibly through links the rule above allows. Resolves the
    whole path, so a linked parent folder or a `..` is judged too."""
    root = os.path.realpath(content_root)
    try:
        st = os.lstat(path)
    except OSError as exc:
        return ContentRefused(path, f"cannot be read ({exc.strerror})")
    if stat.S_ISLNK(st.st_mode):
        target = os.path.realpath(path)
        if not os.path.exists(target):
            return ContentRefused(path, f"is a link to {os.readlink(path)!r}, which does not exist")
        if not _inside(target, root):
            return ContentRefused(path, f"is a link to {target}, outside content/")
        st = os.stat(target)
        if not stat.S_ISREG(st.st_mode):
            return ContentRefused(path, f"is a link to {_kind(st.st_mode)} ({target})")
        return None
    if not stat.S_ISREG(st.st_mode):
        return ContentRefused(path, f"is {_kind(st.st_mode)}, not a regular file, and is skipped",
                              fatal=False)
    real = os.path.realpath(path)
    if not _inside(real, root):
        return ContentRefused(path, f"is at {real}, outside content/ (through a linked folder or "
                                    "'..')")
    return None


def walk_content(folder, content_root, ignored=lambda path, name: False):
    """Every file under `folder`, sorted, as (path, ContentRefused or None), without following a
    link to a folder (refused by the rule) and without a system call per regular file: the types
    come from the folder listing. `ignored(path, name)` drops a file or folder."""
    refused = content_problem(folder, content_root) if os.path.islink(folder) else None
    if refused is not None:
        yield folder, refused
        return
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if ignored(entry.path, entry.name):
            continue
        if entry.is_symlink():
            yield entry.path, content_problem(entry.path, content_root)
        elif entry.is_dir(follow_symlinks=False):
            yield from walk_content(entry.path, content_root, ignored)
        elif entry.is_file(follow_symlinks=False):
            yield entry.path, None
        else:
            yield entry.path, content_problem(entry.path, content_root)


def read_regular(path, content_root=None) -> bytes:
    """The bytes of a regular file, never blocking on a FIFO or a device; with `content_root`, only
    if the file is inside it by the link rule. Raises ContentRefused (an OSError) otherwise."""
    if content_root is not None:
        refused = content_problem(path, content_root)
        if refused is not None:
            raise refused
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise ContentRefused(path, f"is {_kind(st.st_mode)}, not a regular file", fatal=False)
        chunks = []
        while chunk := os.read(fd, max(st.st_size + 1, 1 << 16)):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def check_write_inside(path, root):
    """Why the build must not write `path` (a string), or None when it lands inside `root` with
    every link on the way resolved: a linked content/translations/en/2024 -> /elsewhere is caught
    here. For writers of files under content/ (the translation memory) and output/."""
    target = os.path.realpath(path)
    real_root = os.path.realpath(root)
    if not _inside(target, real_root):
        return f"it would land at {target}, outside {real_root} (a link on the way leads out)"
    if os.path.islink(path):
        return "it is a link, and writing would change the file it points to"
    return None


def read_data_file(path) -> bytes:
    """The bytes of an editor's data file (content/data/NAME.yaml), by the link rule with the data
    folder's parent as content/ (a linked content/data/topics.yaml -> /etc/... is never read).
    Raises ContentRefused (an OSError) for a refused file."""
    path = os.path.abspath(path)
    return read_regular(path, os.path.dirname(os.path.dirname(path)))
