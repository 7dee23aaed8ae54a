"""The one error type of the pipeline: a problem in a content file, with where and how to fix it."""

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake found in a content file, raised by `load` and `validate`, printed by `build.py`.

    Printed as `file:line:column: message — hint`, the format editors' tools and CI annotations read.
    """

    file: str
    line: int
    column: int
    message: str
    hint: str = ""
    path: tuple = field(default=(), compare=False)
    severity: str = field(default="error", compare=False)

    def __str__(self):
        text = f"{self.file}:{self.line}:{self.column}: {self.message}"
        if self.severity == "warning":
            text = f"{self.file}:{self.line}:{self.column}: warning: {self.message}"
        return f"{text} — {self.hint}" if self.hint else text


class ContentError(Exception):
    """Raised when content has errors; carries every problem found, so all are reported at once."""

    def __init__(self, problems):
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} error(s) in the content")

    def report(self):
        lines = [str(p) for p in self.problems]
        lines.append(f"{len(self.problems)} error{'s' if len(self.problems) != 1 else ''} found; nothing was built.")
        return "\n".join(lines)
