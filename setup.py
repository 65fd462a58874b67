"""Package layout only (metadata is in pyproject.toml).

The repository keeps the design card's top-level folders (``loaders/``, ``store/``, ``cli/``, ``tui/``,
``themes/``, ``sample_data/``); the wheel installs them as sub-packages of one ``zhenggai`` package.
Sub-packages are discovered, and every non-Python file inside a package folder ships with it, so no
hand-kept list can forget one.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import find_packages, setup

NAMESPACE = "zhenggai"
#: The namespace's own ``__init__``/``__main__``; not named ``zhenggai/`` so that a checkout on
#: ``sys.path`` (pytest's rootdir, ``python -m`` from the root) never shadows the installed package.
ROOT_FOLDER = "zhenggai_root"
#: Repository folders that become ``zhenggai.<folder>``.
FOLDERS = ("loaders", "store", "cli", "tui", "themes", "sample_data")
SKIP_SUFFIXES = {".py", ".pyc", ".pyo"}

here = Path(__file__).resolve().parent
package_dir = {NAMESPACE: ROOT_FOLDER, **{f"{NAMESPACE}.{folder}": folder for folder in FOLDERS}}
packages = [NAMESPACE]
package_data: dict[str, list[str]] = {NAMESPACE: ["py.typed"]}
for folder in FOLDERS:
    for name in [folder, *find_packages(where=str(here / folder))]:
        sub = name if name == folder else f"{folder}.{name}"
        packages.append(f"{NAMESPACE}.{sub}")
        directory = here / sub.replace(".", "/")
        package_data[f"{NAMESPACE}.{sub}"] = sorted(
            p.name
            for p in directory.iterdir()
            if p.is_file() and p.suffix not in SKIP_SUFFIXES and not p.name.startswith(".")
        )

setup(packages=packages, package_dir=package_dir, package_data=package_data, include_package_data=False)
