"""Guards for commands that delete files."""

import os


def check_deletable(path, project_root):
    """Return why `path` must not be deleted as an output folder, or None when it is safe."""
    if not path or not str(path).strip():
        return "the path is empty"
    target = os.path.realpath(os.path.join(project_root, os.path.expanduser(str(path))))
    root = os.path.realpath(project_root)
    home = os.path.realpath(os.path.expanduser("~"))
    if target == os.path.realpath(os.sep):
        return "it is the file system root"
    if target == home:
        return "it is the home folder"
    if target == root:
        return "it is the project root"
    if os.path.commonpath([target, root]) != root:
        return "it is outside the project"
    for keep in ("content", "plugins", "theme", "tests", ".git"):
        protected = os.path.join(root, keep)
        if os.path.commonpath([target, protected]) == protected or \
                os.path.commonpath([target, protected]) == target:
            return f"it is or contains {keep}/"
    return None
