"""Writes a function with N nested scf.execute_region ops (argv[1])."""
import sys

n = int(sys.argv[1])
body = "scf.yield\n"
for _ in range(n - 1):
    body = "scf.execute_region {\n" + body + "}\nscf.yield\n"
print("func.func @f() {\nscf.execute_region {\n" + body + "}\nreturn\n}")
