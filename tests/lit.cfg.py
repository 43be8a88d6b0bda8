# -*- Python -*-
"""lit configuration of Fungible's .mlir tests.

Features:
  workloads   ../shared/workloads (real models written by others) is present
  kueue-schemas  ../shared/kueue (Kueue's CRDs) is present and python3-jsonschema
              and python3-yaml can validate against them
  ptxas       an NVIDIA ptxas is on PATH or in /usr/local/cuda/bin
  cuda-gpu    libcuda.so.1 loads and reports a device
  sanitizers  the build has ASan and UBSan (scripts/sanitize.sh); a test that
              loads our code into an uninstrumented host (Debian's mlir-opt)
              is UNSUPPORTED there
Tests that need a missing feature are reported UNSUPPORTED, never passed.
"""

import os
import shutil
import sys

import lit.formats
from lit.llvm import llvm_config

config.name = "Fungible"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Inputs", "unit", "lib", "CMakeLists.txt", "lit.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.fungible_obj_root, "tests")

llvm_config.use_default_substitutions()
# Our tools first, then LLVM's (FileCheck, not, mlir-runner), then the system's.
llvm_config.with_environment(
    "PATH", [config.fungible_tools_dir, config.llvm_tools_dir], append_path=True)

if config.fungible_sanitize.upper() in ("ON", "1", "TRUE", "YES"):
    config.available_features.add("sanitizers")
# The sanitizers' settings reach the tools.
for name in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "OMP_NUM_THREADS"):
    if name in os.environ:
        config.environment[name] = os.environ[name]

tool_dirs = [config.fungible_tools_dir, config.llvm_tools_dir]
llvm_config.add_tool_substitutions(
    ["fungible-opt", "fungible-cost", "fungible-calibrate", "fungible-run",
     "fungible-plan",
     "fungible-gpu-check",
     "mlir-opt",
     "mlir-runner"], tool_dirs)
# The fuzz harnesses' replay drivers (fuzz/README.md).
llvm_config.add_tool_substitutions(
    ["fungible-fuzz-mlir", "fungible-fuzz-spec", "fungible-fuzz-fleet",
     "fungible-fuzz-npy", "fungible-fuzz-plan"],
    [os.path.join(config.fungible_obj_root, "fuzz")])
config.substitutions.append(("%fungible_lib_dir", config.fungible_lib_dir))
config.substitutions.append(("%fungible_src_root", config.fungible_src_root))

# %configure-plugin: configures an out-of-tree target plugin against the
# exported Fungible package of this build, with this build's compiler
# (append -S <source> -B <build>; then `%cmake --build <build>`).
configure_plugin = [config.cmake_command, "-G", "Ninja",
                    "-DCMAKE_MAKE_PROGRAM=" + config.cmake_make_program,
                    "-DCMAKE_BUILD_TYPE=Release",
                    "-DCMAKE_CXX_COMPILER=" + config.cxx_compiler,
                    "-DFungible_DIR=" + config.fungible_cmake_dir]
if config.cxx_compiler_launcher:
    configure_plugin.append(
        "-DCMAKE_CXX_COMPILER_LAUNCHER=" + config.cxx_compiler_launcher)
config.substitutions.append(("%configure-plugin", " ".join(configure_plugin)))
config.substitutions.append(("%cmake", config.cmake_command))
config.substitutions.append(("%fungible_obj_root", config.fungible_obj_root))

# The mlir-opt plugin and the runner support libraries.
config.substitutions.append(
    ("%fungible_plugin", os.path.join(config.fungible_lib_dir, "FungibleMLIRPlugin.so")))
# The OpenMP runtime too: the CPU lowering's parallel loops call it.
runner_libs = ",".join(
    [os.path.join(config.llvm_lib_dir, name + ".so")
     for name in ["libmlir_runner_utils", "libmlir_c_runner_utils"]] +
    [config.libomp])
# %lower-to-llvm: the reference path from wl to LLVM (bufferise, loops, LLVM).
# Contractions accumulate with fused multiply-adds, as every device's code
# does (fungible-cpu-fuse-contractions), and f32 tanh, exp, log and erf are
# the host back end's polynomials (fungible-cpu-approximate-math), so that
# an emulated program matches it to the bit; everything else is upstream's.
config.substitutions.append(
    ("%lower-to-llvm",
     "--convert-wl-to-linalg --one-shot-bufferize=bufferize-function-boundaries "
     "--fungible-cpu-fuse-contractions --fungible-cpu-approximate-math "
     "--convert-linalg-to-loops --expand-strided-metadata --lower-affine "
     "--convert-scf-to-cf --convert-math-to-llvm --convert-math-to-libm "
     "--convert-to-llvm --reconcile-unrealized-casts"))
# %host-loops-to-llvm: what is left on buffers (loops, linalg) to LLVM,
# contractions with fused multiply-adds (NVPTX contracts them too), math as
# the host back end computes it.
config.substitutions.append(
    ("%host-loops-to-llvm",
     "--fungible-cpu-fuse-contractions --fungible-cpu-approximate-math "
     "--convert-linalg-to-loops --expand-strided-metadata --lower-affine "
     "--convert-scf-to-cf --convert-math-to-llvm --convert-math-to-libm "
     "--convert-to-llvm --reconcile-unrealized-casts"))
# %reference-lowering: upstream linalg (and elementwise tensor math) to LLVM,
# contractions with fused multiply-adds as above.
config.substitutions.append(
    ("%reference-lowering",
     "--convert-elementwise-to-linalg "
     "--one-shot-bufferize=bufferize-function-boundaries "
     "--fungible-cpu-fuse-contractions --convert-linalg-to-loops --expand-strided-metadata --lower-affine "
     "--convert-scf-to-cf --convert-math-to-llvm --convert-math-to-libm "
     "--convert-to-llvm --reconcile-unrealized-casts"))
# %tosa-to-linalg: upstream's TOSA lowering, as buddy-mlir's files use it.
config.substitutions.append(
    ("%tosa-to-linalg",
     "'--pass-pipeline=builtin.module(func.func(tosa-to-linalg-named,"
     "tosa-to-linalg,tosa-to-tensor,tosa-to-arith))'"))
# %run-harness: JIT-runs the harness of tests/lib/make_harness.py.
config.substitutions.append(
    ("%run-harness", os.path.join(config.llvm_tools_dir, "mlir-runner") +
     " -e fungible_harness -entry-point-result=void -shared-libs=" + runner_libs))
config.substitutions.append(("%python", sys.executable))
# %extract-ptx FILE DIR: writes each gpu.binary's PTX to DIR/<name>.ptx.
config.substitutions.append(
    ("%extract-ptx", sys.executable + " " +
     os.path.join(config.fungible_src_root, "tests", "lib", "extract_ptx.py")))
# %run: JIT-runs @main of an LLVM-dialect module.
config.substitutions.append(
    ("%run", os.path.join(config.llvm_tools_dir, "mlir-runner") + " -e main -entry-point-result=void -shared-libs=" + runner_libs))

if os.path.isdir(config.fungible_workloads_dir):
    config.available_features.add("workloads")
    config.substitutions.append(("%workloads", config.fungible_workloads_dir))

# kueue-schemas: Kueue's CRDs (../shared/kueue) and python3-jsonschema and
# python3-yaml to validate manifests against them.
kueue_crds = os.path.join(os.path.dirname(config.fungible_workloads_dir), "kueue")
try:
    import jsonschema  # noqa: F401
    import yaml  # noqa: F401
    have_validators = True
except ImportError:
    have_validators = False
if have_validators and os.path.isdir(kueue_crds):
    config.available_features.add("kueue-schemas")
    config.substitutions.append(("%kueue_crds", kueue_crds))

ptxas = shutil.which("ptxas") or (
    "/usr/local/cuda/bin/ptxas" if os.path.exists("/usr/local/cuda/bin/ptxas") else None)
if ptxas:
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", ptxas))


def has_cuda_gpu():
    """libcuda.so.1 loads, initialises and reports at least one device."""
    import ctypes
    try:
        cuda = ctypes.CDLL("libcuda.so.1")
        count = ctypes.c_int(0)
        return (cuda.cuInit(0) == 0 and
                cuda.cuDeviceGetCount(ctypes.byref(count)) == 0 and
                count.value > 0)
    except (OSError, AttributeError):
        return False


if has_cuda_gpu():
    config.available_features.add("cuda-gpu")
