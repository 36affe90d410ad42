"""python -m helpers.edition OUTDIR: build the static edition into OUTDIR."""
import sys
import time

from . import build


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1 or argv[0].startswith("-"):
        print("usage: python3 course.py edition OUTDIR  (COURSE_DELAY=0.25 for fast mode)",
              file=sys.stderr)
        return 2
    start = time.perf_counter()
    written = build(argv[0])
    print(f"built {len(written)} pages in {argv[0]} in {time.perf_counter() - start:.0f} s; "
          f"open {written[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
