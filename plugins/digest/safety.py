"""Guards for commands that delete files."""

import os


PROTECTED = ("content", "plugins", "theme", "tests", ".git")


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
    """Why `path` must not be deleted as an output folder, or None when it is safe."""
    problem = check_output(path, project_root)
    if problem:
        return problem
    target = os.path.realpath(os.path.join(project_root, os.path.expanduser(str(path))))
    root = os.path.realpath(project_root)
    if os.path.commonpath([target, root]) != root:
        return "it is outside the project"
    return None
