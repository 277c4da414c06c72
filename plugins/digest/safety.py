"""Guards for commands that delete files."""

import os
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
