"""One exception type for bad input, so every error names the file and the problem."""


class InputError(Exception):
    """Bad input: the message names the file (or config key) and what is wrong with it."""

    def __init__(self, source, problem):
        self.source = str(source)
        self.problem = problem
        super().__init__(f"{self.source}: {problem}")
