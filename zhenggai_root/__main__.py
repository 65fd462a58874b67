"""``python -m zhenggai``: the same as the ``zhenggai`` command."""

from .cli import main

if __name__ == "__main__":
    main()
