"""`python -m helpers.bench`: see helpers.bench."""
import sys

from .command import main

if __name__ == "__main__":  # importing it (pkgutil.walk_packages does) runs nothing
    sys.exit(main())
