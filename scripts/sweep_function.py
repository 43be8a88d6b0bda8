"""What the fitting-set generators share (scripts/gen_sweep.py for the
host, scripts/gpu-check/gen_sweep.py for the GPU): one function of
independent kernels, each op reading function arguments, built op by op
and printed.
"""


def ty(shape, element="f32"):
    return "tensor<" + "".join(f"{d}x" for d in shape) + element + ">"


class SweepFunction:
    """A function's arguments, body lines and results as they are built."""

    def __init__(self):
        self.args, self.body, self.results = [], [], []
        self.count = 0

    def arg(self, shape, element="f32"):
        """A new argument of `shape`; its name."""
        self.args.append(f"%a{len(self.args)}: {ty(shape, element)}")
        return f"%a{len(self.args) - 1}"

    def fresh(self):
        """A new value name."""
        self.count += 1
        return f"%v{self.count}"

    def op(self, text):
        """A body line `%v = text`; the value's name."""
        v = self.fresh()
        self.body.append(f"  {v} = {text}")
        return v

    def result(self, v, shape, element="f32"):
        self.results.append((v, ty(shape, element)))

    def print(self, name, prologue=()):
        """Prints `func.func @name` returning every result, `prologue`
        lines first in its body."""
        types = ", ".join(t for _, t in self.results)
        print(f"func.func @{name}({', '.join(self.args)}) -> ({types}) {{")
        for line in prologue:
            print(line)
        print("\n".join(self.body))
        print(f"  return {', '.join(v for v, _ in self.results)} : {types}")
        print("}")
