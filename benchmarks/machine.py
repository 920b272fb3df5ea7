"""The machine a benchmark ran on, for its printout: every benchmark names the CPU and the vector flags it had."""
import platform

WANTED = ["avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512_vnni", "avx512_vpopcntdq", "avx512_bf16", "avx_vnni", "amx_int8",
          "asimd", "sve"]


def cpu():
    """The CPU model and the vector flags that matter here, from /proc/cpuinfo."""
    model, flags = "unknown", set()
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name") and model == "unknown":
                    model = line.split(":", 1)[1].strip()
                elif line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
                    break
    except OSError:
        model = platform.processor() or "unknown"
    return model, [f for f in WANTED if f in flags]
